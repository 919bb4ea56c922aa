package io.marketplacebridge.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.marketplacebridge.kafka.TopicInitializer;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Start-up as a user meets it: topics created, health and metrics served, bad settings refused. */
@ExtendWith(EmbeddedKafkaExtension.class)
class StartupTest {

    @Test
    void createsTopicsAndServesHealthAndMetrics() throws Exception {
        int port = freePort();
        String prefix = "startup-" + System.nanoTime();
        Map<String, String> props = Map.ofEntries(
                Map.entry("kafka.bootstrap-servers", EmbeddedKafkaExtension.bootstrapServers()),
                Map.entry("bridge.http-port", String.valueOf(port)),
                Map.entry("bridge.inbound.enabled", "false"),
                Map.entry("bridge.outbound.enabled", "false"),
                Map.entry("kafka.topic.partitions", "3"),
                Map.entry("bridge.topic.customer-messages", prefix + ".customer"),
                Map.entry("bridge.topic.seller-messages", prefix + ".seller"),
                Map.entry("bridge.topic.refund-messages", prefix + ".refund"),
                Map.entry("bridge.topic.outbound", prefix + ".outbound"),
                Map.entry("bridge.topic.results", prefix + ".results"),
                Map.entry("bridge.topic.dlq", prefix + ".dlq"),
                Map.entry("bridge.topic.state", prefix + ".state"));
        try (BridgeRunner bridge = BridgeRunner.start(props);
             Admin admin = Admin.create(Map.of("bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers()))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    admin.listTopics().names().get().containsAll(Set.of(prefix + ".customer", prefix + ".seller",
                            prefix + ".refund", prefix + ".outbound", prefix + ".results", prefix + ".dlq", prefix + ".state")));
            var outbound = admin.describeTopics(List.of(prefix + ".outbound", prefix + ".state")).allTopicNames().get();
            assertEquals(3, outbound.get(prefix + ".outbound").partitions().size());
            // partition 0 the outbound delivered ids, the others the stores' inbound state
            assertEquals(TopicInitializer.STATE_PARTITIONS, outbound.get(prefix + ".state").partitions().size());
            ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".state");
            Config config = admin.describeConfigs(List.of(state)).all().get(10, TimeUnit.SECONDS).get(state);
            assertEquals("compact", config.get("cleanup.policy").value());
            // compaction keeps up with the delivery receipts: hourly segments, tombstones kept an hour
            assertEquals("3600000", config.get("segment.ms").value());
            assertEquals("3600000", config.get("delete.retention.ms").value());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"kafka\""), health.body());
            assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "Prometheus text expected");
        }
    }

    @Test
    void prodWithNothingSetExitsNonZeroNamingEveryMissingSetting() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.marketplacebridge.Main", "--profile", "prod"));
        Path log = Files.createTempFile("prod-start", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("LECTRONZ_")
                || k.startsWith("ALEPHEE_") || k.startsWith("BRIDGE_") || k.startsWith("CAMEL_"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "must exit at once");
        String out = Files.readString(log);
        assertEquals(2, p.exitValue(), out);
        for (String env : List.of("KAFKA_BOOTSTRAP_SERVERS", "LECTRONZ_API_TOKEN", "ALEPHEE_API_KEY", "ALEPHEE_ACCOUNT_ID")) {
            assertTrue(out.contains(env), env + " not named in:\n" + out);
        }
        assertFalse(out.contains("Exception"), "a settings problem is a message, not a stack trace:\n" + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
