package io.marketplacebridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.inbound.InboundAccount;
import io.marketplacebridge.inbound.InboundKafka;
import io.marketplacebridge.inbound.InboundMessage;
import io.marketplacebridge.kafka.EmbeddedKafkaBroker;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.outbound.DeliveredIds;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Restore-time benchmark (not a test): a state topic holding {@code bench.delivered} (1,000,000) delivered command
 * ids and {@code bench.inbound} (1,000,000) inbound message states of one Lectronz account, then the time the
 * outbound side needs to load its delivered ids and the inbound side to restore the account's state, each reading
 * only its own partition.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.marketplacebridge.bench.StateRestoreBenchmark
 * </pre>
 */
public final class StateRestoreBenchmark {

    private StateRestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int delivered = Integer.getInteger("bench.delivered", 1_000_000);
        int inbound = Integer.getInteger("bench.inbound", 1_000_000);
        Path data = Files.createTempDirectory("restore-bench");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, data).start()) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
            String state = "bench.state";
            try (Admin admin = clients.admin("bench")) {
                admin.createTopics(List.of(new NewTopic(state, 16, (short) 1).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            BridgeSettings.Topics topics = new BridgeSettings.Topics("c", "s", "r", "o", "res", "dlq", state);
            InboundAccount account = InboundAccount.of(new Accounts.Account("default",
                    new Accounts.Lectronz("https://lectronz.com/api/v1", "bench-token", null), null), state);
            int partition = account.statePartition(16);
            Duration retention = Duration.ofDays(7);
            DeliveredIds writer = new DeliveredIds(clients, state, retention);

            long t0 = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(clients)) {
                Instant now = Instant.now();
                for (int i = 0; i < delivered; i++) {
                    producer.send(writer.deliveredRecord("reply-" + i, now.minusSeconds(i % 86_400)));
                }
                for (int i = 0; i < inbound; i++) {
                    InboundMessage m = new InboundMessage(5_000_000L + i, "customer_order_message",
                            String.valueOf(10_000 + i / 3), "2026-11-0" + (1 + i % 9) + "T10:00:00.000Z",
                            "2026-11-0" + (1 + i % 9) + "T10:00:01.000Z", true, i % 2 == 0, null, null);
                    producer.send(new ProducerRecord<>(state, partition, account.stateKeyPrefix() + m.id(),
                            InboundKafka.stateValue(m)));
                }
                producer.flush();
            }
            System.out.printf("wrote %,d delivered ids and %,d inbound states in %.1f s%n", delivered, inbound,
                    (System.nanoTime() - t0) / 1e9);

            long t1 = System.nanoTime();
            int loadedIds;
            try (DeliveredIds ids = new DeliveredIds(clients, state, retention)) {
                ids.start();
                ids.loaded().get(10, TimeUnit.MINUTES);
                loadedIds = ids.size();
            }
            double outboundSeconds = (System.nanoTime() - t1) / 1e9;

            long t2 = System.nanoTime();
            int restored;
            try (InboundKafka k = new InboundKafka(clients, topics, account)) {
                restored = k.open().size();
            }
            double inboundSeconds = (System.nanoTime() - t2) / 1e9;
            System.out.printf("RESTORE outbound delivered ids: %,d in %.1f s; inbound state of one account: %,d in %.1f s "
                    + "(heap used %d MB)%n", loadedIds, outboundSeconds, restored, inboundSeconds,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024));
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaClients clients) {
        Properties p = new Properties();
        p.putAll(clients.common());
        p.put("linger.ms", "20");
        p.put("batch.size", String.valueOf(512 * 1024));
        p.put("acks", "1");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
