package io.marketplacebridge.inbound;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Walks the newest-first list and returns the items that are new or changed, oldest first.
 * <p>
 * An incremental scan stops at the first page holding an id already known: we always commit oldest
 * first, so the known ids are a contiguous suffix of the list and nothing older can be new. A full scan
 * (reconcile) walks to {@code total_count}. Offsets shift when messages arrive during the scan, so the
 * same item may show up twice: it is kept once. Items only move to higher offsets, so none is skipped.
 */
public final class MessageScan {

    /** What the scan found: the new or changed items oldest first, and how many list calls it took. */
    public record Result(List<LectronzApi.Item> changed, int listCalls, int totalCount) {
    }

    static final Comparator<LectronzApi.Item> OLDEST_FIRST =
            Comparator.comparing((LectronzApi.Item i) -> instant(i.createdAt()), Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparingLong(LectronzApi.Item::id);

    private MessageScan() {
    }

    /**
     * @param known id to the last published updated_at
     * @param full  walk the whole list (reconcile) instead of stopping at the known region
     */
    public static Result scan(LectronzApi api, int pageSize, Map<Long, String> known, boolean full) {
        return scan(api, pageSize, known, full, (item, last) -> { });
    }

    /**
     * As {@link #scan(LectronzApi, int, Map, boolean)}, and tells {@code onChanged} of each new or changed item as
     * soon as its page is read (with its last published updated_at, null if new), so its detail can be fetched
     * while the scan goes on.
     */
    public static Result scan(LectronzApi api, int pageSize, Map<Long, String> known, boolean full,
                              BiConsumer<LectronzApi.Item, String> onChanged) {
        Map<Long, LectronzApi.Item> seen = new LinkedHashMap<>();
        int offset = 0;
        int calls = 0;
        int total;
        while (true) {
            LectronzApi.Page page = api.list(pageSize, offset);
            calls++;
            total = page.totalCount();
            boolean reachedKnown = false;
            for (LectronzApi.Item item : page.messages()) {
                String last = known.get(item.id());
                if (seen.putIfAbsent(item.id(), item) == null && (last == null || !last.equals(item.updatedAt()))) {
                    onChanged.accept(item, last);
                }
                reachedKnown |= known.containsKey(item.id());
            }
            offset += page.messages().size();
            if (page.messages().isEmpty() || offset >= total || (reachedKnown && !full)) {
                break;
            }
        }
        List<LectronzApi.Item> changed = new ArrayList<>();
        for (LectronzApi.Item item : seen.values()) {
            String last = known.get(item.id());
            if (last == null || !last.equals(item.updatedAt())) {
                changed.add(item);
            }
        }
        sortOldestFirst(changed);
        return new Result(changed, calls, total);
    }

    /** Sorts as {@link #OLDEST_FIRST} does, parsing each created_at once rather than in every comparison. */
    static void sortOldestFirst(List<LectronzApi.Item> items) {
        Map<LectronzApi.Item, OffsetDateTime> at = new IdentityHashMap<>(items.size() * 2);
        items.forEach(i -> at.put(i, instant(i.createdAt())));
        items.sort(Comparator.comparing((LectronzApi.Item i) -> at.get(i), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(LectronzApi.Item::id));
    }

    /** created_at as an instant for ordering; timestamps with different offsets still sort right. */
    private static OffsetDateTime instant(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
