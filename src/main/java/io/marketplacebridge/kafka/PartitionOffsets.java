package io.marketplacebridge.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Record-level progress of one assigned partition (Confluent Parallel Consumer's technique): the committed
 * offset is the lowest offset not yet complete, and the offsets completed beyond it travel in the committed
 * offset's metadata, so a new owner skips them instead of running them again.
 * <p>
 * Metadata format: {@code ktx1:} + base64url (no padding) of a bitset whose bit {@code i} means "offset
 * {@code committed + 1 + i} is complete". The window (last fetched offset minus the committed one) is
 * bounded by {@link #MAX_WINDOW}: {@code 20000} bits are 2,500 bytes, 3,334 characters, under Kafka's
 * default {@code offset.metadata.max.bytes} of 4,096. The consumer pauses the partition when the window is full.
 * <p>
 * Used by the poll thread only.
 */
final class PartitionOffsets {

    static final String PREFIX = "ktx1:";
    static final int MAX_WINDOW = 20_000;

    /** Offsets fetched and not complete (waiting or running). */
    private final NavigableSet<Long> incomplete = new TreeSet<>();
    /** Offsets complete but not yet below the committed offset. */
    private final NavigableSet<Long> completed = new TreeSet<>();
    /** The next offset after the last one fetched, or the committed offset; -1 while unknown. */
    private long fetchedEnd;
    private final List<ProducerRecord<String, byte[]>> pendingWrites = new ArrayList<>();
    private boolean dirty;
    private int pendingCompletions;

    /** @param committed the group's committed offset at assignment, null when the group has none */
    PartitionOffsets(OffsetAndMetadata committed) {
        if (committed == null) {
            fetchedEnd = -1;
            return;
        }
        fetchedEnd = committed.offset();
        completed.addAll(decode(committed.offset(), committed.metadata()));
    }

    /**
     * A fetched record: true when it must run, false when it completed before (skip it).
     */
    boolean fetched(long offset) {
        fetchedEnd = Math.max(fetchedEnd, offset + 1);
        if (completed.contains(offset)) {
            dirty = true; // the committed offset may move past it
            return false;
        }
        incomplete.add(offset);
        return true;
    }

    /** A record completed; {@code writes} go into the transaction that commits it. */
    void completed(long offset, List<ProducerRecord<String, byte[]>> writes) {
        if (incomplete.remove(offset)) {
            completed.add(offset);
            pendingWrites.addAll(writes);
            pendingCompletions++;
            dirty = true;
        }
    }

    /** Records completed since the last commit. */
    int pendingCompletions() {
        return pendingCompletions;
    }

    /** What the completed records not yet committed write. */
    List<ProducerRecord<String, byte[]>> pendingWrites() {
        return pendingWrites;
    }

    /** The offset to commit: the lowest incomplete one, or the next after everything fetched; -1 when nothing is known. */
    long commitOffset() {
        return incomplete.isEmpty() ? fetchedEnd : incomplete.first();
    }

    /** What to commit now, or null when nothing changed since the last commit. */
    OffsetAndMetadata toCommit() {
        long offset = commitOffset();
        if (!dirty || offset < 0) {
            return null;
        }
        return new OffsetAndMetadata(offset, encode(offset, completed.tailSet(offset, false)));
    }

    /** The commit of {@link #toCommit()} succeeded. */
    void committed(OffsetAndMetadata offset) {
        completed.headSet(offset.offset(), true).clear();
        pendingWrites.clear();
        pendingCompletions = 0;
        dirty = false;
    }

    /** How far fetching has run ahead of the committed offset; the consumer pauses beyond {@link #MAX_WINDOW}. */
    long window() {
        long offset = commitOffset();
        return offset < 0 ? 0 : fetchedEnd - offset;
    }

    static String encode(long committed, NavigableSet<Long> completedAbove) {
        BitSet bits = new BitSet();
        for (long o : completedAbove) {
            bits.set((int) (o - committed - 1));
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits.toByteArray());
    }

    static NavigableSet<Long> decode(long committed, String metadata) {
        NavigableSet<Long> offsets = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return offsets; // none, or written by another tool: nothing known beyond the committed offset
        }
        BitSet bits;
        try {
            bits = BitSet.valueOf(Base64.getUrlDecoder().decode(metadata.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
            return offsets;
        }
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            offsets.add(committed + 1 + i);
        }
        return offsets;
    }
}
