package io.marketplacebridge.inbound;

import java.util.List;
import java.util.Map;

/**
 * What one run of an account's poll route hands from step to step (the exchange body): the new or changed
 * messages the scan finds, oldest first, and the published {@code updated_at} of every known message at that moment.
 *
 * @param full        the scan walks the whole list (reconcile)
 * @param messages    the new or changed items; during a first sync, still being found while the publish step runs
 * @param callsBefore the account's HTTP calls before the scan, for the run's log line
 * @param details     the run's detail fetcher, which began fetching during the scan
 */
public record InboundRun(boolean full, ChangedMessages messages, Map<Long, String> known, long callsBefore,
                         DetailFetcher details) {

    /** How many messages the scan found (or, while a first sync still walks the list, expects) new or changed. */
    public int changes() {
        return messages.expected();
    }

    /** Every new or changed item, once the scan is over (waits for it). */
    public List<LectronzApi.Item> changed() {
        try {
            return messages.all();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the scan was walking the list", e);
        }
    }

    /** True when the scan is over and found nothing. */
    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** The run ends without publishing: the scan stops and the details not started yet are not fetched. */
    void cancel() {
        messages.cancel();
        details.cancel();
    }

    String kind() {
        return full ? "reconcile" : "poll";
    }
}
