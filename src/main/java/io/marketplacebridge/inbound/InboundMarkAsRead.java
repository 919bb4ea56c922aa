package io.marketplacebridge.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 of an account's poll route, mark as read ({@code LECTRONZ_MARK_AS_READ}): the customer messages whose
 * records are committed on Kafka, {@code LECTRONZ_CONCURRENCY} calls at a time. A failure leaves them pending for the
 * next poll; it never re-publishes anything. Marking bumps updated_at, so the next scan publishes that version as
 * updated.
 */
public final class InboundMarkAsRead {

    private static final Logger LOG = LoggerFactory.getLogger("inbound");

    private final InboundSession session;

    public InboundMarkAsRead(InboundSession session) {
        this.session = session;
    }

    public void markAsRead(InboundRun run) {
        if (run == null) {
            return;
        }
        session.guarded(() -> {
            if (session.readyToMark()) {
                markPending();
            }
            return run;
        });
    }

    private void markPending() {
        InboundState state = session.state();
        List<Long> ids = state.pendingMarks();
        if (ids.isEmpty()) {
            return;
        }
        LectronzApi api = session.api();
        List<CompletableFuture<Long>> calls = new ArrayList<>(ids.size());
        for (Long id : ids) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                api.markAsRead(id);
                return id;
            }, session.fetchers()));
        }
        int done = 0;
        RuntimeException failure = null;
        for (CompletableFuture<Long> call : calls) {
            try {
                state.marked(call.join());
                done++;
            } catch (RuntimeException e) {
                failure = e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        if (done > 0) {
            LOG.info("inbound  marked {} customer message(s) as read", done);
        }
        if (failure instanceof LectronzApi.UnauthorizedException u) {
            throw u;
        }
        if (failure != null) {
            LOG.warn("mark_as_read failed for {} message(s) ({}); retried at the next poll", state.pendingMarks().size(),
                    failure.getMessage());
        }
    }
}
