package io.marketplacebridge.kafka;

import org.apache.kafka.clients.producer.Producer;

/** The two small things every transactional writer of the bridge needs. */
public final class KafkaTransactions {

    private KafkaTransactions() {
    }

    /**
     * Runs {@code sends} in one transaction and commits it; on any failure aborts it (as far as a fenced or
     * broken producer still can) and rethrows, so the caller replaces the producer and starts over.
     */
    public static void commitOrAbort(Producer<?, ?> producer, Runnable sends) {
        producer.beginTransaction();
        try {
            sends.run();
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // fenced or broken producer: the caller closes it and starts over
            }
            throw e;
        }
    }

    /** The innermost cause in a line, for logs and health messages: Kafka wraps its errors deeply. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
