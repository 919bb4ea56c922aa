package io.marketplacebridge.kafka;

/** Exchange properties of the {@code kafka-tx} component (see {@link TransactionalKafkaComponent}). */
public final class KafkaTx {

    /** The {@code ConsumerRecord<String, byte[]>} an exchange carries. */
    public static final String RECORD = "KafkaTx.RECORD";
    /**
     * Set by the route: the {@code List<ProducerRecord<String, byte[]>>} to write when the exchange completes,
     * in the same transaction as the record's offset.
     */
    public static final String RECORDS = "KafkaTx.RECORDS";
    /**
     * Set to {@code true} by the consumer when it gives the record back (revocation, graceful stop): the route
     * makes no further remote attempt; if the exchange then fails, nothing is written and the next owner runs it.
     */
    public static final String RELEASED = "bridge.released";

    private KafkaTx() {
    }
}
