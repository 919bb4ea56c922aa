package io.marketplacebridge.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Which fetched record may start next: never two of one (partition, key) at once, in offset order per key;
 * records without a key have no ordering constraint. Lanes whose next record may start wait in arrival order,
 * so a slow key holds only its own lane. Used by the poll thread only.
 */
final class KeyScheduler {

    /** One ordering lane: a key of a partition, or a single record without a key. */
    private record Lane(TopicPartition partition, String key, long unkeyedOffset) {
        static Lane of(ConsumerRecord<String, byte[]> r) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            return r.key() == null ? new Lane(tp, null, r.offset()) : new Lane(tp, r.key(), -1);
        }
    }

    private final Map<Lane, ArrayDeque<ConsumerRecord<String, byte[]>>> waiting = new HashMap<>();
    private final Set<Lane> running = new HashSet<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final Map<TopicPartition, Integer> buffered = new HashMap<>();

    void add(ConsumerRecord<String, byte[]> r) {
        Lane lane = Lane.of(r);
        ArrayDeque<ConsumerRecord<String, byte[]>> queue = waiting.computeIfAbsent(lane, l -> new ArrayDeque<>());
        queue.add(r);
        if (queue.size() == 1 && !running.contains(lane)) {
            ready.add(lane);
        }
        buffered.merge(lane.partition(), 1, Integer::sum);
    }

    /** The next record to start (its lane is then running), or null when every waiting lane is running. */
    ConsumerRecord<String, byte[]> next() {
        Lane lane = ready.poll();
        if (lane == null) {
            return null;
        }
        ArrayDeque<ConsumerRecord<String, byte[]>> queue = waiting.get(lane);
        ConsumerRecord<String, byte[]> r = queue.poll();
        if (queue.isEmpty()) {
            waiting.remove(lane);
        }
        running.add(lane);
        buffered.merge(lane.partition(), -1, Integer::sum);
        return r;
    }

    /** The record's run ended: the next record of its lane may start. */
    void done(ConsumerRecord<String, byte[]> r) {
        Lane lane = Lane.of(r);
        if (running.remove(lane) && waiting.containsKey(lane)) {
            ready.add(lane);
        }
    }

    /** Records fetched and not started, of one partition. */
    int buffered(TopicPartition tp) {
        return buffered.getOrDefault(tp, 0);
    }

    /** Forgets the waiting records of a partition no longer ours (running ones end through {@link #done}). */
    void drop(TopicPartition tp) {
        waiting.keySet().removeIf(l -> l.partition().equals(tp));
        ready.removeIf(l -> l.partition().equals(tp));
        buffered.remove(tp);
    }
}
