package io.marketplacebridge.operations;

import static io.marketplacebridge.operations.OpsKafka.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redrive beside a running bridge, judged at the remote: a command the remote refused once is dead-lettered by the
 * bridge itself, redriven, delivered once; redriven again with --again it is answered DUPLICATE and not sent again.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RedriveWithBridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final OpsKafka kafka = new OpsKafka();

    private Map<String, String> bridgeSettings(Sandbox sandbox) {
        Map<String, String> m = kafka.bridgeSettings(sandbox);
        m.put("bridge.outbound.enabled", "true");
        return m;
    }

    private List<JsonNode> results() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readAll(kafka.results)) {
            all.add(JSON.readTree(r.value()));
        }
        return all;
    }

    private List<String> statuses() throws Exception {
        return results().stream().map(r -> r.get("status").asText() + " " + r.path("code").asText("")).toList();
    }

    @Test
    void aRedrivenCommandIsDeliveredOnceAndAnsweredDuplicateWhenRedrivenAgain() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
             BridgeRunner bridgeRunning = BridgeRunner.start(bridgeSettings(sandbox))) {
            sandbox.failNext(Endpoint.LECTRONZ_CREATE, 1, 400); // refused once: REJECTED, dead-lettered
            kafka.send(kafka.outbound, null, null, "10001", """
                    {"id":"reply-7","channel":"lectronz","orderId":10001,"content":"Your parcel left today."}""",
                    Map.of("correlation-id", "ticket-7"));
            Awaitility.await("dead letter").atMost(Duration.ofSeconds(120)).until(() -> kafka.readAll(kafka.dlq).size() == 1);
            assertEquals(List.of("REJECTED REMOTE_REJECTED"), statuses());
            assertEquals(0, sandbox.createdMessages().size());

            OpsKafka.Run run = kafka.run("redrive", "--code", "REMOTE_REJECTED");
            assertEquals(0, run.code(), run.err());
            Awaitility.await("delivered").atMost(Duration.ofSeconds(120)).until(() -> statuses().size() == 2);
            assertEquals("DELIVERED ", statuses().get(1));
            assertEquals("reply-7", results().get(1).get("commandId").asText());
            List<LectronzMessage> created = sandbox.createdMessages();
            assertEquals(1, created.size());
            assertEquals("Your parcel left today.", created.get(0).content());
            ConsumerRecord<String, byte[]> result = kafka.readAll(kafka.results).stream()
                    .filter(r -> header(r, "correlation-id") != null).reduce((a, b) -> b).orElseThrow();
            assertEquals("ticket-7", header(result, "correlation-id"), "the command's own header went along");

            assertTrue(kafka.run("redrive").out().contains("skipped 1 (already redriven: 1)"));
            assertEquals(0, kafka.run("redrive", "--again").code());
            Awaitility.await("answered").atMost(Duration.ofSeconds(120)).until(() -> statuses().size() == 3);
            assertEquals("DUPLICATE ", statuses().get(2));
            assertEquals(1, sandbox.createdMessages().size(), "the remote got it once");
        }
    }
}
