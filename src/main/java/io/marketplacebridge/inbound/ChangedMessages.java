package io.marketplacebridge.inbound;

import java.util.ArrayList;
import java.util.List;

/**
 * The list items a scan found new or changed, oldest first, as the publish step takes them: all at once after an
 * incremental scan, or page by page while a first sync still walks the list ({@link MessageScan#walkOldestFirst}),
 * so that publishing starts with the oldest page instead of after the last one.
 */
final class ChangedMessages {

    private final List<LectronzApi.Item> items = new ArrayList<>();
    /** How many the scan expects in all (the list's total_count for a first sync); at least what was added. */
    private int expected;
    private int taken;
    private boolean ended;
    private boolean cancelled;
    private RuntimeException failure;

    private ChangedMessages(int expected) {
        this.expected = expected;
    }

    /** A complete scan's items. */
    static ChangedMessages of(List<LectronzApi.Item> items) {
        ChangedMessages m = new ChangedMessages(items.size());
        m.items.addAll(items);
        m.ended = true;
        return m;
    }

    /** Items still being found; the scan adds them and then calls {@link #end}. */
    static ChangedMessages walking(int expected) {
        return new ChangedMessages(expected);
    }

    synchronized void add(List<LectronzApi.Item> page) {
        items.addAll(page);
        expected = Math.max(expected, items.size());
        notifyAll();
    }

    /** The scan is over: with null, it found everything; else the rest is found by the next scan. */
    synchronized void end(RuntimeException failure) {
        ended = true;
        this.failure = failure;
        if (failure == null) {
            expected = items.size();
        }
        notifyAll();
    }

    /** The run is over (published, stopped or failed): a scan still walking stops at its next page. */
    synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    synchronized boolean cancelled() {
        return cancelled;
    }

    /**
     * The next item for the publish step.
     *
     * @param wait wait for the scan's next page when none is here yet
     * @return the item; null when none is here yet (without {@code wait}) or the scan ended and all were taken
     */
    synchronized LectronzApi.Item next(boolean wait) throws InterruptedException {
        while (taken >= items.size()) {
            if (ended || !wait) {
                return null;
            }
            wait();
        }
        return items.get(taken++);
    }

    /**
     * After the items were taken and published: throws the scan's failure, if it had one. What it found before
     * failing is the oldest part of the list, so publishing it first keeps the published messages a contiguous
     * oldest part, as the next scan expects.
     */
    synchronized void checkScanEnded() {
        if (failure != null) {
            throw failure;
        }
    }

    /** Every item, once the scan ended (waits for it). */
    synchronized List<LectronzApi.Item> all() throws InterruptedException {
        while (!ended) {
            wait();
        }
        if (failure != null) {
            throw failure;
        }
        return List.copyOf(items);
    }

    synchronized int expected() {
        return expected;
    }

    /** True when the scan ended without finding anything. */
    synchronized boolean isEmpty() {
        return ended && items.isEmpty();
    }
}
