package io.marketplacebridge.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
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
 * The Camel cluster service behind camel-master's {@code master:} endpoints, leased from Kafka: Camel ships
 * cluster services for consul, file, kubernetes, zookeeper and others, but none for Kafka, the one thing every
 * bridge instance already shares. For each namespace the instances join one consumer group on a one-partition
 * topic, and the member that owns partition 0 leads. The partition stays paused (nothing is read); Kafka hands
 * it over when the leader leaves or dies (session timeout 10 s, so another instance takes over well within
 * 30 s).
 */
public final class KafkaLeaseClusterService extends AbstractCamelClusterService<KafkaLeaseClusterService.Lease> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeaseClusterService.class);

    private final KafkaClients clients;
    private final String topic;
    private final String groupPrefix;

    /**
     * @param topic       a topic with exactly one partition, which the leases never read
     * @param groupPrefix consumer groups are {@code <groupPrefix>-<namespace>}: one deployment's instances share it
     */
    public KafkaLeaseClusterService(KafkaClients clients, String topic, String groupPrefix) {
        super("kafka-lease");
        this.clients = clients;
        this.topic = topic;
        this.groupPrefix = groupPrefix;
    }

    @Override
    protected Lease createView(String namespace) {
        return new Lease(this, namespace, groupPrefix + "-" + namespace);
    }

    /** One namespace's lease: a consumer group member on its own thread that only heartbeats. */
    final class Lease extends AbstractCamelClusterView {

        private final String groupId;
        private final CamelClusterMember local;
        private volatile boolean leader;
        private volatile boolean running;
        private volatile KafkaConsumer<byte[], byte[]> consumer;
        private Thread thread;

        Lease(CamelClusterService service, String namespace, String groupId) {
            super(service, namespace);
            this.groupId = groupId;
            this.local = new CamelClusterMember() {
                @Override
                public String getId() {
                    return groupId;
                }

                @Override
                public boolean isLeader() {
                    return leader;
                }

                @Override
                public boolean isLocal() {
                    return true;
                }
            };
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        /** Only this instance: the group's other members are not tracked. */
        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() {
            running = true;
            thread = new Thread(this::run, "lease-" + getNamespace());
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        protected void doStop() throws InterruptedException {
            running = false;
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
            if (thread != null) {
                thread.join(10_000);
            }
            setLeader(false);
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
                                LOG.debug("Lease {}: member {} gives up {}", getNamespace(),
                                        c.groupMetadata().memberId(), partitions);
                                setLeader(false);
                            }
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            c.pause(partitions);
                            LOG.debug("Lease {}: member {} holds {}", getNamespace(), c.groupMetadata().memberId(),
                                    c.assignment());
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
                    // stopping
                } catch (RuntimeException e) {
                    setLeader(false);
                    LOG.warn("Lease {} lost Kafka ({}); retrying", getNamespace(), e.toString());
                    pause();
                } finally {
                    consumer = null;
                }
            }
        }

        private void setLeader(boolean now) {
            if (now != leader) {
                leader = now;
                LOG.info(now ? "This instance now leads {} (consumer group {})"
                        : "This instance no longer leads {} (consumer group {})", getNamespace(), groupId);
                fireLeadershipChangedEvent(getLeader());
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
    }
}
