package io.marketplacebridge.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.marketplacebridge.config.BridgeSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bridge's topics when missing. Runs in the background and retries while Kafka is
 * unreachable, so start-up never hangs on Kafka; the workers wait on {@link #ready()}.
 */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    /** Largest dead-letter record the DLQ topic accepts (the producers allow 16 MiB requests). */
    public static final int DLQ_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Partitions of a new state topic; an existing one keeps its count (one partition: everything shares it). */
    public static final int STATE_PARTITIONS = 16;

    private final KafkaClients clients;
    private final BridgeSettings settings;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean stopped;
    private Thread thread;

    public TopicInitializer(KafkaClients clients, BridgeSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    /** Completes once every topic exists. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::run, "topic-initializer");
            thread.setDaemon(true);
            thread.start();
        }
    }

    public void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Creates missing topics once; throws when Kafka cannot be reached. */
    public void ensureTopics() throws Exception {
        BridgeSettings.Topics t = settings.topics();
        Optional<Integer> partitions = Optional.of(settings.topicPartitions());
        Optional<Short> replication = settings.topicReplicationFactor();
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(t.customerMessages(), t.sellerMessages(), t.refundMessages(),
                t.outbound(), t.results())) {
            wanted.add(new NewTopic(name, partitions, replication));
        }
        // a dead letter is the original command plus error headers: room for whatever the command topic took
        wanted.add(new NewTopic(t.dlq(), partitions, replication).configs(Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(DLQ_MAX_MESSAGE_BYTES))));
        // the bridge's own state, compacted, kept forever: partition 0 the outbound delivered ids, the others the
        // inbound state of the Lectronz stores (InboundAccount#statePartition), so neither restore reads the other;
        // its partitions are also the inbound leases (KafkaLeaseClusterService). The count must never change.
        // Segments roll hourly, so compaction (which skips the active segment) keeps up with the outbound delivery
        // receipts, each written and then tombstoned within moments; a tombstone is kept an hour, far longer than
        // a restore takes to read past it.
        wanted.add(new NewTopic(t.state(), Optional.of(STATE_PARTITIONS), replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "60000",
                TopicConfig.SEGMENT_MS_CONFIG, "3600000",
                TopicConfig.DELETE_RETENTION_MS_CONFIG, "3600000")));
        try (Admin admin = clients.admin("marketplace-bridge-admin")) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(n -> !existing.contains(n.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another instance racing us is fine
                }
            }
            LOG.info("Created Kafka topics {}", missing.stream().map(NewTopic::name).toList());
        }
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped) {
            try {
                ensureTopics();
                ready.complete(null);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("Kafka at {} not ready ({}); retrying topic set-up in {}s", clients.bootstrapServers(),
                        KafkaTransactions.rootMessage(e), backoff.toSeconds());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
            }
        }
    }

}
