package io.marketplacebridge.inbound;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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

    /** Pages in a row that a first sync reads without getting further (the list keeps moving) before it gives up. */
    static final int MAX_STALLED_PAGES = 20;

    private MessageScan() {
    }

    /**
     * A first sync (nothing published yet): walks the list from its oldest page up and hands on each page's
     * items oldest first as soon as it is read, so publishing starts with the first page rather than after the
     * last. Positions count from the end of the list (the oldest message is 0): messages are only added at the
     * head, so a message keeps its position while offsets shift under the walk. Each page tells where it lies
     * from its own {@code total_count}; one that moved up past what was handed on (messages arrived meanwhile) is
     * read again at its new offset, and the head is read last. The same number of list calls as a scan from the
     * head: the head page, read first to learn the total, is used again at the end.
     *
     * @param head      the page at offset 0, read already
     * @param onPage    gets each page's new items, oldest first
     * @param cancelled checked before each list call: the run ended, stop walking
     * @return the list calls made after the head's
     */
    public static int walkOldestFirst(LectronzApi api, int pageSize, LectronzApi.Page head,
                                      Consumer<List<LectronzApi.Item>> onPage, BooleanSupplier cancelled) {
        Walk walk = new Walk(onPage);
        int headStart = head.totalCount() - head.messages().size();
        boolean headUsed = false;
        int total = head.totalCount();
        int calls = 0;
        int stalled = 0;
        while (true) {
            if (!headUsed && headStart <= walk.handedOn) {
                walk.take(head, 0);
                headUsed = true;
            }
            if (walk.handedOn >= total || cancelled.getAsBoolean()) {
                return calls;
            }
            int offset = Math.max(0, total - walk.handedOn - pageSize);
            LectronzApi.Page page = api.list(pageSize, offset);
            calls++;
            total = page.totalCount();
            int before = walk.handedOn;
            walk.take(page, offset);
            if (walk.handedOn > before) {
                stalled = 0;
            } else if (page.messages().isEmpty() && offset == 0) {
                return calls; // the list is empty now
            } else if (++stalled > MAX_STALLED_PAGES) {
                throw new LectronzApi.LectronzException("the message list moved under " + stalled
                        + " page reads in a row (offset " + offset + ", total_count " + total + "); the next poll "
                        + "reads it again", 0, null);
            }
        }
    }

    /** What a first sync handed on so far: every position below {@link #handedOn}. */
    private static final class Walk {
        private final Consumer<List<LectronzApi.Item>> onPage;
        private final Set<Long> seen = new HashSet<>();
        int handedOn;

        Walk(Consumer<List<LectronzApi.Item>> onPage) {
            this.onPage = onPage;
        }

        /** Hands on the page's items above {@link #handedOn}, if the page reaches down to it (no gap below). */
        void take(LectronzApi.Page page, int offset) {
            List<LectronzApi.Item> items = page.messages();
            int end = page.totalCount() - offset;
            int start = end - items.size();
            if (start > handedOn || end <= handedOn) {
                return;
            }
            List<LectronzApi.Item> fresh = new ArrayList<>(end - handedOn);
            for (int i = end - 1 - handedOn; i >= 0; i--) { // newest first within the page: walk it backwards
                LectronzApi.Item item = items.get(i);
                if (seen.add(item.id())) {
                    fresh.add(item);
                }
            }
            handedOn = end;
            if (!fresh.isEmpty()) {
                onPage.accept(fresh);
            }
        }
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
        return scan(api, pageSize, known, full, onChanged, null);
    }

    /** As above, with the head page (offset 0) read already, or null. */
    public static Result scan(LectronzApi api, int pageSize, Map<Long, String> known, boolean full,
                              BiConsumer<LectronzApi.Item, String> onChanged, LectronzApi.Page head) {
        Map<Long, LectronzApi.Item> seen = new LinkedHashMap<>();
        int offset = 0;
        int calls = 0;
        int total;
        while (true) {
            LectronzApi.Page page = offset == 0 && head != null ? head : api.list(pageSize, offset);
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
