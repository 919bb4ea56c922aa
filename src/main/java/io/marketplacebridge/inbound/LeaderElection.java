package io.marketplacebridge.inbound;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import io.marketplacebridge.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one poller per Lectronz account across instances: the instances join one consumer group on the
 * one-partition state topic, and the member that owns partition 0 is the leader. The partition stays
 * paused (nothing is read); the group only serves as a lease that Kafka hands over when a member dies
 * (session timeout 10 s, so another instance takes over well within 30 s).
 */
final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final KafkaClients clients;
    private final String groupId;
    private final String topic;
    private volatile boolean leader;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    LeaderElection(KafkaClients clients, String groupId, String topic) {
        this.clients = clients;
        this.groupId = groupId;
        this.topic = topic;
    }

    boolean isLeader() {
        return leader;
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this::run, "lectronz-inbound-leader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            setLeader(false);
                        }
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        c.pause(partitions);
                        setLeader(!c.assignment().isEmpty());
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        setLeader(false);
                    }
                });
                while (running) {
                    c.poll(Duration.ofMillis(500)); // heartbeats; the paused partition returns nothing
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                setLeader(false);
                LOG.warn("Leader election for the Lectronz poller lost Kafka ({}); retrying", e.toString());
                pause();
            } finally {
                consumer = null;
            }
        }
        setLeader(false);
    }

    private void setLeader(boolean now) {
        if (now != leader) {
            leader = now;
            LOG.info(now ? "This instance is now the Lectronz poller (leader of group {})"
                    : "This instance is no longer the Lectronz poller (group {})", groupId);
        }
    }

    private Properties props() {
        Properties p = new Properties();
        p.putAll(clients.common());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        // the leader keeps partition 0 when another instance joins: no needless hand-over
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    private void pause() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leader = false;
    }
}
