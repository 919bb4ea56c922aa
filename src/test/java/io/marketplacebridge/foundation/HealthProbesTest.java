package io.marketplacebridge.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.inbound.InboundTopics;
import io.marketplacebridge.kafka.EmbeddedKafkaBroker;
import io.marketplacebridge.testing.BridgeRunner;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes-style probes: liveness ({@code /observe/health/live}) stays UP while Kafka and a remote API are
 * down, because restarting the bridge would not bring them back; readiness ({@code /observe/health/ready})
 * reports DOWN and names each of them.
 */
class HealthProbesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void givenKafkaAndLectronzDown_whenProbed_thenLiveIsUpAndReadyIsDownNamingBoth() throws Exception {
        int port = freePort();
        int closedPort = freePort(); // nothing listens there: Lectronz is down
        String prefix = "probes-" + System.nanoTime();
        // a broker of this test's own, so the test can take Kafka away without touching the shared one
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(0, Files.createTempDirectory("probes-kafka")).start();
        Map<String, String> props = InboundTopics.settings(kafka.bootstrapServers(),
                "http://127.0.0.1:" + closedPort + "/api/v1", prefix);
        props.put("bridge.http-port", String.valueOf(port));
        props.put("bridge.allow-http", "true"); // a local address stands in for the remote
        props.put("bridge.http.max-retries", "1");
        props.put("bridge.http.connect-timeout", "1s");

        try (BridgeRunner bridge = BridgeRunner.start(props)) {
            Awaitility.await("lectronz reported down").atMost(Duration.ofSeconds(120))
                    .until(() -> "DOWN".equals(check(ready(port), "lectronz")));
            assertEquals("UP", check(ready(port), "kafka"));
            assertLiveIsUp(port);

            kafka.close();

            Awaitility.await("kafka reported down").atMost(Duration.ofSeconds(120))
                    .until(() -> "DOWN".equals(check(ready(port), "kafka")));
            HttpResponse<String> ready = get(port, "/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode body = JSON.readTree(ready.body());
            assertEquals("DOWN", body.path("status").asText(), ready.body());
            assertEquals("DOWN", check(body, "lectronz"), ready.body());
            assertLiveIsUp(port);
        } finally {
            kafka.close();
        }
    }

    private void assertLiveIsUp(int port) throws Exception {
        HttpResponse<String> live = get(port, "/observe/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", JSON.readTree(live.body()).path("status").asText(), live.body());
    }

    private JsonNode ready(int port) throws Exception {
        return JSON.readTree(get(port, "/observe/health/ready").body());
    }

    /** The status of the named check in a health answer, or null when it is not listed. */
    private static String check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
