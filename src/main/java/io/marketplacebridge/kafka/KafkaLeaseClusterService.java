package io.marketplacebridge.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel cluster service behind the inbound routes' ClusteredRoutePolicy, leased from Kafka: Camel ships
 * cluster services for consul, file, kubernetes, zookeeper and others, but none for Kafka, the one thing every
 * bridge instance already shares.
 * <p>
 * The service leases a fixed list of namespaces (one per Lectronz account). The instances of one deployment join
 * one consumer group on the lease topic; namespace i is slot i, partition i of that topic (modulo its partition
 * count), and the member that owns the partition leads the namespace. {@link LeaseSlotAssignor} spreads the slots
 * evenly over the instances. The partitions stay paused (nothing is read); Kafka hands them over when a member
 * leaves or dies (session timeout 10 s, so another instance takes over well within 30 s).
 */
public final class KafkaLeaseClusterService extends AbstractCamelClusterService<KafkaLeaseClusterService.Lease> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeaseClusterService.class);

    private final KafkaClients clients;
    private final String topic;
    private final String groupId;
    private final List<String> namespaces;
    private final Set<Lease> started = ConcurrentHashMap.newKeySet();
    private volatile Set<TopicPartition> held = Set.of();
    private volatile int partitions = 1;
    /** Set when this member, as group leader, left a slot unassigned until its owner has revoked it. */
    private volatile long handoverCheckAt;
    private volatile boolean running;
    /** {@link #joinNow()}: the member stays in the group when the last lease stops, until this service stops. */
    private boolean joinedEarly;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /**
     * @param topic      the lease topic, which the leases never read
     * @param groupId    the consumer group: one deployment's instances share it
     * @param namespaces the namespaces leased, in an order every instance of the deployment agrees on
     */
    public KafkaLeaseClusterService(KafkaClients clients, String topic, String groupId, List<String> namespaces) {
        super("kafka-lease");
        this.clients = clients;
        this.topic = topic;
        this.groupId = groupId;
        this.namespaces = List.copyOf(namespaces);
    }

    @Override
    protected Lease createView(String namespace) {
        int slot = namespaces.indexOf(namespace);
        if (slot < 0) {
            throw new IllegalArgumentException("No lease for namespace '" + namespace + "'; leased: " + namespaces);
        }
        return new Lease(this, namespace, slot);
    }

    /**
     * Joins the lease group now, before any lease is asked for, and stays in it until this service stops: at
     * start-up the join then runs while the routes load and start, and the leads are usually known when they
     * have started. Without it the group is joined by the first lease started and left with the last one.
     */
    public synchronized void joinNow() {
        joinedEarly = true;
        startMember();
    }

    private synchronized void joined(Lease lease) {
        started.add(lease);
        startMember();
    }

    private synchronized void left(Lease lease) throws InterruptedException {
        started.remove(lease);
        if (started.isEmpty() && !joinedEarly) {
            stopMember();
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        synchronized (this) {
            stopMember();
        }
    }

    private void startMember() {
        if (thread == null) {
            running = true;
            thread = new Thread(this::run, "lease-" + groupId);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void stopMember() throws InterruptedException {
        if (thread != null) {
            running = false;
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
            thread.join(10_000);
            thread = null;
            hold(Set.of(), 1);
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        // called before the assignment drops them: stand down first, the new leader starts after
                        Set<TopicPartition> kept = new HashSet<>(c.assignment());
                        kept.removeAll(partitions);
                        hold(kept, c.partitionsFor(topic).size());
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        c.pause(c.assignment());
                        held(c);
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        hold(Set.of(), 1);
                    }
                });
                while (running) {
                    c.poll(Duration.ofMillis(500)); // heartbeats; the paused partitions return nothing
                    long check = handoverCheckAt;
                    if (check != 0 && System.nanoTime() - check > 0) {
                        // the owner revokes and rejoins by itself; should that follow-up rebalance not come, the
                        // slot would stay without a leader: ask for it (a rebalance that hands nothing over is cheap)
                        handoverCheckAt = 0;
                        c.enforceRebalance("lease slot handed over");
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                hold(Set.of(), 1);
                LOG.warn("Lease group {} lost Kafka ({}); retrying", groupId, e.toString());
                pause();
            } finally {
                consumer = null;
            }
        }
    }

    /** After each change of the assignment: what is held now, minus what is being revoked. */
    private void held(KafkaConsumer<byte[], byte[]> c) {
        hold(Set.copyOf(c.assignment()), c.partitionsFor(topic).size());
    }

    private void hold(Set<TopicPartition> now, int partitionCount) {
        partitions = Math.max(1, partitionCount);
        held = now;
        started.forEach(Lease::update);
    }

    private Properties props() {
        Properties p = new Properties();
        p.putAll(clients.common());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, LeaseSlotAssignor.class.getName());
        p.put(LeaseSlotAssignor.SLOTS_CONFIG, String.valueOf(namespaces.size()));
        p.put(LeaseSlotAssignor.TOPIC_CONFIG, topic);
        p.put(LeaseSlotAssignor.ON_ASSIGNED_CONFIG, (IntConsumer) pending ->
                handoverCheckAt = pending == 0 ? 0 : System.nanoTime() + Duration.ofSeconds(5).toNanos());
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

    /** One namespace's lease: leader while this instance's group member holds the namespace's slot. */
    final class Lease extends AbstractCamelClusterView {

        private final int slot;
        private final CamelClusterMember local;
        private volatile boolean leader;

        Lease(CamelClusterService service, String namespace, int slot) {
            super(service, namespace);
            this.slot = slot;
            this.local = new CamelClusterMember() {
                @Override
                public String getId() {
                    return groupId + "/" + namespace;
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
            joined(this);
            update(); // the group may hold this slot already (another namespace's lease started it)
        }

        /** Namespace i leads with partition i of the lease topic (modulo its partitions, when it has fewer). */
        private void update() {
            setLeader(isRunAllowed() && held.contains(new TopicPartition(topic, slot % partitions)));
        }

        @Override
        protected void doStop() throws InterruptedException {
            left(this);
            setLeader(false);
        }

        private synchronized void setLeader(boolean now) {
            if (now != leader) {
                leader = now;
                LOG.info(now ? "This instance now leads {} (consumer group {})"
                        : "This instance no longer leads {} (consumer group {})", getNamespace(), groupId);
                fireLeadershipChangedEvent(getLeader());
            }
        }
    }
}
