package io.marketplacebridge.inbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

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
            long callsBefore = session.httpCalls();
            // when the Kafka session opens first (fencing, restoring the state), the head page is read meanwhile
            AtomicReference<CompletableFuture<LectronzApi.Page>> head = new AtomicReference<>();
            if (!session.readyToScan(() -> head.set(CompletableFuture.supplyAsync(
                    () -> session.api().list(session.lectronz().pageSize(), 0), session.scanner())))) {
                return null;
            }
            boolean full = session.reconcileDue();
            InboundState state = session.state();
            Map<Long, String> known = state.known();
            // the details of what the pages show new or changed are fetched while the scan goes on
            DetailFetcher details = new DetailFetcher(session.api(), session.fetchers(), InboundPublish.BATCH_SIZE);
            InboundRun run;
            try {
                LectronzApi.Page first = head.get() != null ? DetailFetcher.join(head.get()) : null;
                run = known.isEmpty() ? firstSync(full, callsBefore, details, first)
                        : scan(full, state, known, callsBefore, details, first);
            } catch (RuntimeException e) {
                details.cancel();
                throw e;
            }
            session.healthCheck().up();
            String account = session.account().name();
            session.metrics().inboundBacklog(account, run.changes());
            if (run.isEmpty()) {
                session.metrics().inboundSuccess(account, Instant.now());
            }
            return run;
        });
    }

    /** Walks down to the region already published (or the whole list), then hands on what changed, oldest first. */
    private InboundRun scan(boolean full, InboundState state, Map<Long, String> known, long callsBefore,
                            DetailFetcher details, LectronzApi.Page head) {
        MessageScan.Result scan = MessageScan.scan(session.api(), session.lectronz().pageSize(), known, full,
                details::prefetch, head);
        InboundRun run = new InboundRun(full, ChangedMessages.of(state.withRecheck(scan.changed())), known,
                callsBefore, details);
        if (run.isEmpty()) {
            LOG.debug("inbound {}: nothing new ({} list calls)", run.kind(), scan.listCalls());
        } else {
            LOG.info("inbound {} {}: {} new or changed messages to publish (list of {}, {} list calls)",
                    session.account().name(), run.kind(), run.changes(), scan.totalCount(), scan.listCalls());
        }
        return run;
    }

    /**
     * Nothing published yet: reads the head page for the total, then walks the list oldest page first in the
     * background ({@link MessageScan#walkOldestFirst}), so the publish step starts with the first page read.
     */
    private InboundRun firstSync(boolean full, long callsBefore, DetailFetcher details, LectronzApi.Page first) {
        int pageSize = session.lectronz().pageSize();
        LectronzApi.Page head = first != null ? first : session.api().list(pageSize, 0);
        String account = session.account().name();
        if (head.totalCount() <= head.messages().size()) { // the whole list is on the head page: no walk
            List<LectronzApi.Item> items = new ArrayList<>();
            MessageScan.walkOldestFirst(session.api(), pageSize, head, items::addAll, () -> false);
            items.forEach(item -> details.prefetch(item, null));
            InboundRun run = new InboundRun(full, ChangedMessages.of(items), Map.of(), callsBefore, details);
            if (!run.isEmpty()) {
                LOG.info("inbound {} first sync: {} messages to publish (1 list call)", account, run.changes());
            }
            return run;
        }
        ChangedMessages messages = ChangedMessages.walking(head.totalCount());
        InboundRun run = new InboundRun(full, messages, Map.of(), callsBefore, details);
        LOG.info("inbound {} first sync: {} messages listed, published oldest first as the list is read", account,
                head.totalCount());
        session.scanner().execute(() -> {
            try {
                int calls = MessageScan.walkOldestFirst(session.api(), pageSize, head, page -> {
                    page.forEach(item -> details.prefetch(item, null));
                    messages.add(page);
                }, messages::cancelled);
                LOG.debug("inbound {} first sync: list read in {} calls", account, calls + 1);
                messages.end(null);
            } catch (RuntimeException e) {
                messages.end(e);
            } catch (Throwable e) {
                messages.end(new IllegalStateException("the first sync's list walk failed", e));
                throw e;
            }
        });
        return run;
    }
}
