package io.marketplacebridge.outbound;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A remote that hangs and a remote that refuses connections, through the whole bridge: the command is FAILED
 * {@code REMOTE_UNAVAILABLE} once its retries are spent, and the next command of the same key is delivered.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundUnreachableRemoteTest {

    @Test
    void aHungAndARefusingRemoteFailTheCommandAndTheKeyGoesOn() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: connections are refused
        }
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("alephee.base-url", "http://localhost:" + closedPort + "/alephee/v2");
            props.put("bridge.http.response-timeout", "2s");
            props.put("bridge.http.max-retries", "2");
            props.put("bridge.outbound.retry-timeout", "5s");
            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                kafka.awaitTopics();

                sandbox.hangNext(Endpoint.LECTRONZ_CREATE, 20, Duration.ofMinutes(2));
                long start = System.nanoTime();
                JsonNode hung = kafka.resultFor(kafka.send("key-1", """
                        {"channel":"lectronz","orderId":7201,"content":"into the void"}"""));
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertEquals("FAILED", hung.get("status").asText(), hung.toString());
                assertEquals("REMOTE_UNAVAILABLE", hung.get("code").asText());
                assertTrue(seconds < 60, "failed within the budget: " + seconds + " s");
                assertEquals(sandbox.calls(Endpoint.LECTRONZ_CREATE), hung.get("attempts").asLong(), "attempts = calls at the sandbox");
                sandbox.clearFaults();
                JsonNode next = kafka.resultFor(kafka.send("key-1", """
                        {"channel":"lectronz","orderId":7202,"content":"the next one"}"""));
                assertEquals("DELIVERED", next.get("status").asText(), next.toString());

                JsonNode refused = kafka.resultFor(kafka.send("key-2", """
                        {"channel":"alephee","orderId":7301,"content":"nobody home"}"""));
                assertEquals("FAILED", refused.get("status").asText(), refused.toString());
                assertEquals("REMOTE_UNAVAILABLE", refused.get("code").asText());
                assertTrue(refused.get("message").asText().contains("Could not reach Alephee"), refused.toString());
                assertFalse(refused.toString().contains(SandboxOptions.DEFAULT_ALEPHEE_API_KEY), "no key in the result");
                JsonNode after = kafka.resultFor(kafka.send("key-2", """
                        {"channel":"lectronz","orderId":7302,"content":"still flowing"}"""));
                assertEquals("DELIVERED", after.get("status").asText(), after.toString());

                assertEquals(1, sandbox.createdMessages().stream().filter(m -> m.orderId() == 7202).count());
                assertEquals(1, sandbox.createdMessages().stream().filter(m -> m.orderId() == 7302).count());
                assertTrue(sandbox.createdMessages().stream().map(LectronzMessage::orderId).noneMatch(o -> o == 7201),
                        "the hung calls never completed");
            }
        }
    }
}
