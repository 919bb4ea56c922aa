package io.marketplacebridge.kafka;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** The options of one {@code kafka-tx} consumer; see {@link TransactionalKafkaComponent}. */
public final class TransactionalKafkaEndpoint extends DefaultEndpoint {

    private final String topic;
    private final KafkaClients clients;
    private String groupId;
    private int concurrency = 8;
    private int maxBuffered = 1000;
    private long pollTimeoutMs = 100;
    private long drainTimeoutMs = 8000;
    private long transactionTimeoutMs = 15_000;
    private long failedRetryDelayMs = 5000;
    private Supplier<? extends CompletionStage<?>> readiness;

    TransactionalKafkaEndpoint(String uri, TransactionalKafkaComponent component, String topic, KafkaClients clients) {
        super(uri, component);
        this.topic = topic;
        this.clients = clients;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TransactionalKafkaConsumer consumer = new TransactionalKafkaConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(TransactionalKafkaComponent.SCHEME
                + " only consumes; a route writes through the exchange property " + KafkaTx.RECORDS);
    }

    public String getTopic() {
        return topic;
    }

    KafkaClients clients() {
        return clients;
    }

    public String getGroupId() {
        return groupId;
    }

    /** The consumer group (required). */
    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getConcurrency() {
        return concurrency;
    }

    /** Records in flight at once (never two of one key). */
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public int getMaxBuffered() {
        return maxBuffered;
    }

    /** Fetched records not yet started, per partition, beyond which the partition is paused. */
    public void setMaxBuffered(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    public long getPollTimeoutMs() {
        return pollTimeoutMs;
    }

    /** Longest wait inside one poll while nothing is in flight. */
    public void setPollTimeoutMs(long pollTimeoutMs) {
        this.pollTimeoutMs = pollTimeoutMs;
    }

    public long getDrainTimeoutMs() {
        return drainTimeoutMs;
    }

    /** On revocation or stop: how long to wait for records in flight to finish before giving them back. */
    public void setDrainTimeoutMs(long drainTimeoutMs) {
        this.drainTimeoutMs = drainTimeoutMs;
    }

    public long getTransactionTimeoutMs() {
        return transactionTimeoutMs;
    }

    /** transaction.timeout.ms: a transaction left open by a killed process blocks readers at most this long. */
    public void setTransactionTimeoutMs(long transactionTimeoutMs) {
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    public long getFailedRetryDelayMs() {
        return failedRetryDelayMs;
    }

    /** A record whose exchange failed (the route did not handle an error) runs again after this delay. */
    public void setFailedRetryDelayMs(long failedRetryDelayMs) {
        this.failedRetryDelayMs = failedRetryDelayMs;
    }

    public Supplier<? extends CompletionStage<?>> getReadiness() {
        return readiness;
    }

    /** Waited for before joining the group (topics created, state loaded), and again on each assignment before the assigned records run; optional. */
    public void setReadiness(Supplier<? extends CompletionStage<?>> readiness) {
        this.readiness = readiness;
    }
}
