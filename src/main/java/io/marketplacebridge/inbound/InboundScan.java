package io.marketplacebridge.inbound;

import java.time.Instant;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1 of an account's poll route, scan: once this instance leads the account (and has its state), lists the
 * pages down to the region already published, or every page once per {@code LECTRONZ_RECONCILE_INTERVAL}
 * (updates of older messages), plus the messages marked read since the last run. The details of what the pages
 * show new or changed start to be fetched as each page is read.
 */
public final class InboundScan {

    private static final Logger LOG = LoggerFactory.getLogger("inbound");

    private final InboundSession session;

    public InboundScan(InboundSession session) {
        this.session = session;
    }

    /** @return the run for the next steps, or null: no run now (not the leader, not ready, or the scan failed) */
    public InboundRun scan() {
        return session.guarded(() -> {
            if (!session.readyToScan()) {
                return null;
            }
            boolean full = session.reconcileDue();
            InboundState state = session.state();
            Map<Long, String> known = state.known();
            long callsBefore = session.httpCalls();
            // the details of what the pages show new or changed are fetched while the scan goes on
            DetailFetcher details = new DetailFetcher(session.api(), session.fetchers(), InboundPublish.BATCH_SIZE);
            MessageScan.Result scan;
            try {
                scan = MessageScan.scan(session.api(), session.lectronz().pageSize(), known, full, details::prefetch);
            } catch (RuntimeException e) {
                details.cancel();
                throw e;
            }
            session.healthCheck().up();
            InboundRun run = new InboundRun(full, state.withRecheck(scan.changed()), known, callsBefore, details);
            String account = session.account().name();
            session.metrics().inboundBacklog(account, run.changes());
            if (run.changed().isEmpty()) {
                session.metrics().inboundSuccess(account, Instant.now());
                LOG.debug("inbound {}: nothing new ({} list calls)", run.kind(), scan.listCalls());
            } else {
                LOG.info("inbound {} {}: {} new or changed messages to publish (list of {}, {} list calls)",
                        account, run.kind(), run.changes(), scan.totalCount(), scan.listCalls());
            }
            return run;
        });
    }
}
