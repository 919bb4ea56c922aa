package io.marketplacebridge.inbound;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the bridge knows of one account's messages between runs, in memory: the published version of each message
 * (as restored from the state topic, then as committed), the customer messages still to mark read, and those marked
 * read since the last publish. Used under the account's lock only.
 */
final class InboundState {

    private final boolean markAsRead;
    private final Map<Long, InboundKafka.Entry> published = new HashMap<>();
    private final Set<Long> pendingMarks = new LinkedHashSet<>();
    /** Marked read: their new updated_at is fetched directly at the next poll, not left to the reconcile. */
    private final Set<Long> recheck = new LinkedHashSet<>();

    /** @param markAsRead {@code LECTRONZ_MARK_AS_READ} */
    InboundState(boolean markAsRead) {
        this.markAsRead = markAsRead;
    }

    /** Starts over from the state read from Kafka; the unread customer messages in it still need their mark. */
    void restore(Map<Long, InboundKafka.Entry> restored) {
        clear();
        published.putAll(restored);
        if (markAsRead) {
            restored.forEach((id, e) -> {
                if (needsMark(e.type(), e.unread())) {
                    pendingMarks.add(id);
                }
            });
        }
    }

    void clear() {
        published.clear();
        pendingMarks.clear();
        recheck.clear();
    }

    int size() {
        return published.size();
    }

    /** A snapshot: id to the published updated_at. */
    Map<Long, String> known() {
        Map<Long, String> known = new HashMap<>(published.size() * 2);
        published.forEach((id, e) -> known.put(id, e.updatedAt()));
        return known;
    }

    /** The scan's changes plus the messages marked read since, oldest first. */
    List<LectronzApi.Item> withRecheck(List<LectronzApi.Item> changed) {
        if (recheck.isEmpty()) {
            return changed;
        }
        Set<Long> listed = new HashSet<>();
        changed.forEach(i -> listed.add(i.id()));
        List<LectronzApi.Item> all = new ArrayList<>(changed);
        for (Long id : recheck) {
            InboundKafka.Entry e = published.get(id);
            if (e != null && !listed.contains(id)) {
                all.add(new LectronzApi.Item(id, e.type(), e.createdAt(), e.updatedAt()));
            }
        }
        MessageScan.sortOldestFirst(all);
        return all;
    }

    /** After its transaction committed: remember the version, and queue its mark when it needs one. */
    void committed(InboundMessage m) {
        published.put(m.id(), InboundKafka.entry(m));
        if (markAsRead && needsMark(m.type(), m.unread())) {
            pendingMarks.add(m.id());
        }
    }

    /** A run published everything it found, the rechecked messages included. */
    void rechecked() {
        recheck.clear();
    }

    List<Long> pendingMarks() {
        return List.copyOf(pendingMarks);
    }

    /** Marked read on Lectronz: no longer pending, and its new version is fetched at the next poll. */
    void marked(long id) {
        pendingMarks.remove(id);
        recheck.add(id);
    }

    private static boolean needsMark(String type, boolean unread) {
        return unread && "customer_order_message".equals(type);
    }
}
