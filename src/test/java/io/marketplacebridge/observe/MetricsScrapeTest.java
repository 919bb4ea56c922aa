package io.marketplacebridge.observe;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.marketplacebridge.outbound.OutboundKafka;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /observe/metrics} of a running bridge (both halves, the sandbox, the real broker) shows the metrics of
 * SPEC section 8 with the outcomes that really happened, labelled by account.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class MetricsScrapeTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void givenTrafficBothWays_whenScraped_thenTheSpecMetricsCountIt() throws Exception {
        int port = freePort();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(3));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("bridge.inbound.enabled", "true");
            props.put("lectronz.poll-interval", "300ms");
            props.put("bridge.http-port", String.valueOf(port));
            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                kafka.awaitTopics();
                var delivered = kafka.send("5001", """
                        {"id":"metrics-1","channel":"lectronz","orderId":5001,"content":"Shipped today"}""");
                var rejected = kafka.send("5002", """
                        {"channel":"alephee","orderId":5002,"content":"x","account":"no-such-account"}""");
                assertEquals("DELIVERED", kafka.resultFor(delivered).get("status").asText());
                assertEquals("UNKNOWN_ACCOUNT", kafka.resultFor(rejected).get("code").asText());

                Awaitility.await("inbound published the seeded messages").atMost(Duration.ofSeconds(60))
                        .until(() -> scrape(port).contains("lectronz_inbound_published_total{account=\"default\",event=\"created\",type=\"customer_order_message\"}"));
                Awaitility.await("the lag measured").atMost(Duration.ofSeconds(60))
                        .until(() -> scrape(port).contains("bridge_outbound_lag_records 0.0"));
                String scrape = scrape(port);

                assertContains(scrape, "bridge_outbound_results_total{account=\"default\",channel=\"lectronz\",code=\"none\",status=\"DELIVERED\"} 1.0");
                assertContains(scrape, "bridge_outbound_results_total{account=\"default\",channel=\"alephee\",code=\"UNKNOWN_ACCOUNT\",status=\"REJECTED\"} 1.0");
                assertContains(scrape, "bridge_outbound_delivery_seconds_count{account=\"default\",channel=\"lectronz\"} 1");
                assertContains(scrape, "lectronz_inbound_backlog_messages{account=\"default\"} 0.0");
                assertContains(scrape, "lectronz_inbound_last_success_timestamp_seconds{account=\"default\"}");
            }
        }
    }

    private String scrape(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static void assertContains(String scrape, String line) {
        assertTrue(scrape.contains(line), () -> "missing in /observe/metrics: " + line + "\n"
                + scrape.lines().filter(l -> l.startsWith("bridge_") || l.startsWith("lectronz_")).reduce("", (a, b) -> a + b + "\n"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
