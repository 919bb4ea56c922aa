package io.marketplacebridge.inbound;

import java.time.Instant;
import java.util.List;

import io.marketplacebridge.observe.BridgeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of an account's poll route, fetch and publish: the details of the scan's messages,
 * {@code LECTRONZ_CONCURRENCY} GETs in flight and running ahead of the writes ({@link DetailFetcher}), published
 * oldest first in Kafka transactions of {@value #BATCH_SIZE} with their state ({@link InboundKafka}). Stops between
 * transactions when this instance stops leading.
 */
public final class InboundPublish {

    private static final Logger LOG = LoggerFactory.getLogger("inbound");
    /** Messages per Kafka transaction. */
    static final int BATCH_SIZE = 250;
    /** Above this many messages in a batch, one INFO line per batch instead of one per message. */
    private static final int LOG_EACH_UP_TO = 50;

    private final InboundSession session;

    public InboundPublish(InboundSession session) {
        this.session = session;
    }

    /** @return the run, published; null when it ended early (the next scan finds the rest) */
    public InboundRun publish(InboundRun run) {
        if (run == null || run.isEmpty()) {
            return run;
        }
        return session.guarded(() -> {
            if (!session.readyToPublish()) {
                run.cancel();
                return null; // the state the scan read may be stale: the next scan starts over
            }
            String account = session.account().name();
            BridgeMetrics metrics = session.metrics();
            Progress progress = new Progress(LOG, run::changes);
            run.details().fetchAndWrite(run.messages(), run.known(),
                    batch -> {
                        session.checkStillLeading();
                        session.kafka().write(batch);
                        committed(batch);
                        progress.advance(batch.size());
                        metrics.inboundBacklog(account, Math.max(0, run.changes() - progress.done()));
                    });
            metrics.inboundSuccess(account, Instant.now());
            session.state().rechecked();
            LOG.info("inbound {} {} done: {} messages in {} s ({} msg/s), {} HTTP calls", account, run.kind(),
                    progress.done(), String.format("%.1f", progress.seconds()), Math.round(progress.rate()),
                    session.httpCalls() - run.callsBefore());
            return run;
        });
    }

    /** After the batch's transaction committed: remember, log, count, and queue the marks. */
    private void committed(List<InboundMessage> batch) {
        String account = session.account().name();
        boolean each = batch.size() <= LOG_EACH_UP_TO;
        int created = 0;
        for (InboundMessage m : batch) {
            if (m.malformed()) {
                session.malformed().increment();
                LOG.error("Malformed Lectronz message {} (updated_at {}): {}; not published, fetched again by the next "
                        + "scans that list it", m.id(), m.updatedAt(), m.problem());
                continue;
            }
            session.state().committed(m);
            created += m.created() ? 1 : 0;
            session.metrics().inboundPublished(account, m.type(), m.created() ? "created" : "updated");
            String line = String.format("inbound  %s order/%s %s #%d %s -> %s", account, m.orderId(), m.type(),
                    m.id(), m.created() ? "created" : "updated", session.topicNames().forMessageType(m.type()));
            if (each) {
                LOG.info(line);
            } else {
                LOG.debug(line);
            }
        }
        if (!each) {
            LOG.info("inbound  {} batch of {} committed: {} created, {} updated, up to #{}", account,
                    batch.size(), created, batch.size() - created, batch.get(batch.size() - 1).id());
        }
    }
}
