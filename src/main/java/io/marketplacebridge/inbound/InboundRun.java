package io.marketplacebridge.inbound;

import java.util.List;
import java.util.Map;

/**
 * What one run of an account's poll route hands from step to step (the exchange body): the new or changed
 * messages the scan found, oldest first, and the published {@code updated_at} of every known message at that moment.
 *
 * @param full        the scan walked the whole list (reconcile)
 * @param callsBefore the account's HTTP calls before the scan, for the run's log line
 * @param details     the run's detail fetcher, which began fetching during the scan
 */
public record InboundRun(boolean full, List<LectronzApi.Item> changed, Map<Long, String> known, long callsBefore,
                         DetailFetcher details) {

    /** How many messages the scan found new or changed. */
    public int changes() {
        return changed.size();
    }

    String kind() {
        return full ? "reconcile" : "poll";
    }
}
