package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 while a Kafka transaction is open, observed from outside: the transaction coordinator reports the
 * bridge's transactional.id ONGOING and the inbound topics hold records past their last stable offset (sent,
 * not committed). A new process aborts that transaction and publishes the rest: every (id, updated_at) is
 * readable exactly once with read_committed, and the aborted copies stay invisible to it.
 * <p>
 * A batch is written in one short transaction (records are sent right before the commit), so the messages are
 * made large (~40 KB): sending a batch of 250 takes long enough to observe and kill inside it.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class InboundKillInTransactionTest {

    /** Five batches: room for a second and third attempt when a kill lands after a commit. */
    private static final int MESSAGES = 1250;
    private static final int ATTEMPTS = 3;
    private static final int BATCH = InboundPublish.BATCH_SIZE;

    @Test
    void killedWithATransactionOpenTheRestartAbortsItAndPublishesEveryVersionExactlyOnce() throws Exception {
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
             InboundTopics topics = new InboundTopics(bootstrap, "killtx");
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            String big = "x".repeat(40_000);
            for (int i = 0; i < MESSAGES; i++) {
                sandbox.addCustomerMessage(1000 + i % 40, "message " + i + " " + big);
            }
            Map<String, String> settings = topics.settings(bootstrap, sandbox.lectronzBaseUrl());
            settings.put("lectronz.page-size", "50");
            String transactionalId = new InboundAccount("default", sandbox.lectronzBaseUrl(),
                    settings.get("lectronz.api-token"), new io.marketplacebridge.config.Accounts.Lectronz(
                    sandbox.lectronzBaseUrl(), settings.get("lectronz.api-token"), null).storeKey(),
                    settings.get("bridge.topic.state")).transactionalId();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : List.of(topics.customer(), topics.seller(), topics.refund())) {
                for (int p = 0; p < 3; p++) {
                    partitions.add(new TopicPartition(t, p));
                }
            }

            // the kill races the commit: when it lands just after the commit, the next process tries again
            Set<String> inFlight = null;
            for (int attempt = 1; attempt <= ATTEMPTS && inFlight == null; attempt++) {
                int before = topics.read().size();
                try (BridgeProcess bridge = BridgeProcess.start(settings).awaitStarted()) {
                    Awaitility.await("a batch committed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> topics.read().size() >= before + BATCH);
                    Awaitility.await("a transaction open with records sent").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(1))
                            .until(() -> ongoing(admin, transactionalId) && !pastStableOffset(admin, partitions).isEmpty());
                    bridge.kill9();
                    // still open after the kill: it was killed inside the transaction, not during its commit
                    if (describe(admin, transactionalId).state() != TransactionState.ONGOING) {
                        System.out.printf("attempt %d: the kill landed after the commit; trying again%n", attempt);
                        continue;
                    }
                    inFlight = uncommittedCeIds(bootstrap, pastStableOffset(admin, partitions));
                    assertFalse(inFlight.isEmpty(), "records of the open transaction are in the log");
                    Map<String, Long> committedAtKill = readAll(bootstrap, partitions, "read_committed");
                    int committed = committedAtKill.values().stream().mapToInt(Long::intValue).sum();
                    System.out.printf("killed inside an open transaction: %d records committed, %d sent but not committed%n",
                            committed, inFlight.size());
                    assertTrue(committed >= BATCH && committed < MESSAGES, "killed in the middle (" + committed + " committed)");
                    Set<String> open = inFlight;
                    assertTrue(open.stream().noneMatch(committedAtKill::containsKey), "read_committed does not see the open transaction");
                }
            }
            assertNotNull(inFlight, "no kill landed inside an open transaction in " + ATTEMPTS + " attempts");

            try (BridgeProcess second = BridgeProcess.start(settings).awaitStarted()) {
                Awaitility.await("the rest published").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                        .until(() -> topics.read().size() >= MESSAGES);
                InboundTopics.awaitListCalls(sandbox, 2); // a late duplicate would show now
            }
            assertEquals(TransactionState.COMPLETE_COMMIT, describe(admin, transactionalId).state());

            List<InboundTopics.Rec> recs = topics.read();
            InboundTopics.assertEveryVersionExactlyOnce(recs, sandbox.messages());
            assertTrue(recs.stream().allMatch(r -> "com.lectronz.message.created".equals(r.headers().get("ce_type"))));
            assertEquals(MESSAGES, recs.size());
            // the aborted copies are still in the log: read_uncommitted sees them twice, read_committed once
            Map<String, Long> uncommitted = readAll(bootstrap, partitions, "read_uncommitted");
            for (String id : inFlight) {
                assertEquals(2L, uncommitted.get(id), "aborted copy plus the republished one of " + id);
            }
        }
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
    }

    private static boolean ongoing(Admin admin, String transactionalId) {
        try {
            return describe(admin, transactionalId).state() == TransactionState.ONGOING;
        } catch (Exception e) {
            return false; // not known to the coordinator yet
        }
    }

    /** Partitions with records past the last stable offset, with their [LSO, high watermark) range. */
    private static Map<TopicPartition, long[]> pastStableOffset(Admin admin, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        var high = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
        Map<TopicPartition, long[]> past = new HashMap<>();
        for (TopicPartition p : partitions) {
            long lso = stable.get(p).offset();
            long hw = high.get(p).offset();
            if (hw > lso) {
                past.put(p, new long[] {lso, hw});
            }
        }
        return past;
    }

    /** The ce_ids of the records in the given ranges, read with read_uncommitted. */
    private static Set<String> uncommittedCeIds(String bootstrap, Map<TopicPartition, long[]> ranges) {
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap, "read_uncommitted")) {
            c.assign(ranges.keySet());
            ranges.forEach((p, r) -> c.seek(p, r[0]));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(200))) {
                    if (rec.offset() < ranges.get(new TopicPartition(rec.topic(), rec.partition()))[1]) {
                        ids.add(ceId(rec));
                    }
                }
                return ranges.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue()[1]);
            });
        }
        return ids;
    }

    /** How many times each ce_id occurs in the partitions, read from the beginning with the given isolation. */
    private static Map<String, Long> readAll(String bootstrap, List<TopicPartition> partitions, String isolation) {
        Map<String, Long> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap, isolation)) {
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(200))) {
                    counts.merge(ceId(rec), 1L, Long::sum);
                }
                return partitions.stream().allMatch(p -> c.position(p) >= end.get(p));
            });
        }
        return counts;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", isolation);
        p.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String ceId(ConsumerRecord<String, byte[]> rec) {
        var h = rec.headers().lastHeader("ce_id");
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
