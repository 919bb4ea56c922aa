package io.marketplacebridge.inbound;

import io.marketplacebridge.http.RemoteApiHealthCheck;
import io.marketplacebridge.kafka.KafkaTransactions;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error containment of an account's inbound steps, in one place: a failed step is reported once, in words,
 * counted, and ends the run; the next poll starts over. Decides whether the account's Kafka session must be
 * dropped (so the next run fences the old producer and re-reads the state).
 */
final class InboundFailures {

    private static final Logger LOG = LoggerFactory.getLogger("inbound");

    /** Thrown from inside a step when it must stop between transactions. */
    static final class StoppedException extends RuntimeException {
        StoppedException(String message) {
            super(message);
        }
    }

    private final String account;
    private final String transactionalId;
    private final RemoteApiHealthCheck health;
    private final Counter malformed;
    private final Counter kafkaFailures;

    InboundFailures(String account, String transactionalId, RemoteApiHealthCheck health, Counter malformed,
                    Counter kafkaFailures) {
        this.account = account;
        this.transactionalId = transactionalId;
        this.health = health;
        this.malformed = malformed;
        this.kafkaFailures = kafkaFailures;
    }

    /**
     * Reports the failure of a step.
     *
     * @return true when the account's Kafka session must be closed (its producer or state can no longer be trusted)
     */
    boolean contain(Exception e) {
        if (e instanceof LectronzApi.UnauthorizedException) {
            health.down(e.getMessage());
            LOG.error("account {}: {}; retrying at the next poll", account, e.getMessage());
            return false;
        }
        if (e instanceof LectronzApi.LectronzException) {
            if (e instanceof LectronzApi.MalformedResponseException) {
                malformed.increment();
            }
            health.down(e.getMessage());
            LOG.warn("account {}: {}; the scan stops here and resumes at the next poll (nothing is lost)", account,
                    e.getMessage());
            return false;
        }
        if (e instanceof StoppedException) {
            LOG.info("inbound sync interrupted: {}", e.getMessage());
            return false;
        }
        if (fenced(e)) {
            LOG.warn("Another instance took over the Lectronz poller of account {} (transactional.id {} fenced "
                    + "this one); standing down until this instance leads again", account, transactionalId);
        } else if (e instanceof KafkaException || e instanceof IllegalStateException) {
            kafkaFailures.increment();
            // a timed-out commit has an unknown outcome: the next poll fences this producer, which settles the
            // transaction, and re-reads the state from Kafka, so nothing is lost or published twice
            LOG.warn("Kafka write failed ({}); the next poll settles the open transaction, re-reads the state "
                    + "from Kafka and starts over", KafkaTransactions.rootMessage(e));
        } else {
            LOG.error("inbound sync failed; it starts over at the next poll", e);
        }
        return true;
    }

    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
