package io.marketplacebridge.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.marketplacebridge.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads topics from their beginning up to the end offsets they had when the scan started, read_committed,
 * with {@code assign()}: it joins no consumer group, so it runs beside bridge instances without touching
 * their assignments or offsets. Records written while it runs are not read.
 */
final class TopicScan {

    /** No record and no position change for this long means the scan is stuck. */
    private static final Duration STALL = Duration.ofSeconds(120);

    /** Looking a topic up must not create it (a mistyped topic setting). */
    private static final Map<String, Object> NO_AUTO_CREATE = Map.of(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");

    private final KafkaClients clients;
    private final String clientId;

    TopicScan(KafkaClients clients, String clientId) {
        this.clients = clients;
        this.clientId = clientId;
    }

    /**
     * Hands every committed record of the topics, in offset order per partition, to {@code each}.
     *
     * @param topics topic name to the env name of its setting (named when the topic does not exist)
     * @throws MissingTopicException when a topic does not exist
     */
    void read(Map<String, String> topics, Consumer<ConsumerRecord<String, byte[]>> each, Runnable idle) {
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(clientId, null, NO_AUTO_CREATE)) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> position = new HashMap<>();
            List<TopicPartition> pending = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long at = consumer.position(tp, Duration.ofSeconds(30));
                position.put(tp, at);
                if (at < end.get(tp)) {
                    pending.add(tp);
                } else {
                    consumer.pause(List.of(tp));
                }
            }
            long lastProgress = System.nanoTime();
            while (!pending.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        each.accept(r);
                    }
                }
                for (TopicPartition tp : List.copyOf(pending)) {
                    long at = consumer.position(tp, Duration.ofSeconds(30));
                    if (at != position.put(tp, at)) {
                        lastProgress = System.nanoTime();
                    }
                    if (at >= end.get(tp)) {
                        pending.remove(tp);
                        consumer.pause(List.of(tp)); // records written after the start are not ours to read
                    }
                }
                idle.run();
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("no progress reading " + pending + " for " + STALL.toSeconds() + " s");
                }
            }
        }
    }

    /** Fails with {@link MissingTopicException} unless every topic exists (a command's target, before it writes). */
    void requireTopics(Map<String, String> topics) {
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(clientId, null, NO_AUTO_CREATE)) {
            partitions(consumer, topics);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, Map<String, String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, String> topic : topics.entrySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.getKey(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicException(topic.getKey(), topic.getValue());
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        return partitions;
    }

    /** A topic the command needs is not there: most likely a topic-name setting differs from the bridge's. */
    static final class MissingTopicException extends RuntimeException {
        MissingTopicException(String topic, String setting) {
            super("topic " + topic + " does not exist (setting " + setting + "); is it the bridge's topic?");
        }
    }
}
