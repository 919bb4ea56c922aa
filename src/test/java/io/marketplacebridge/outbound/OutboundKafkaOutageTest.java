package io.marketplacebridge.outbound;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.marketplacebridge.kafka.EmbeddedKafkaBroker;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Kafka goes away and comes back: the bridge keeps running and carries on. Uses its own broker to restart it. */
class OutboundKafkaOutageTest {

    @Test
    void survivesAKafkaOutage() throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Files.createTempDirectory("outage-kafka")).start();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
             OutboundKafka kafka = new OutboundKafka(broker.bootstrapServers());
             BridgeRunner bridge = BridgeRunner.start(kafka.bridgeProperties(sandbox))) {
            kafka.awaitTopics();
            assertEquals("DELIVERED", kafka.resultFor(kafka.send("1", "{\"channel\":\"alephee\",\"orderId\":11,\"content\":\"before\"}"))
                    .get("status").asText());

            broker.close();
            org.awaitility.Awaitility.await("the bridge notices").atMost(Duration.ofSeconds(30))
                    .until(() -> kafkaDown(bridge));
            assertEquals(ServiceStatus.Started, bridge.context().getStatus());
            broker.start();

            List<OutboundKafka.RecordMetadataView> after = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                after.add(kafka.send(String.valueOf(i), "{\"channel\":\"alephee\",\"orderId\":" + (20 + i) + ",\"content\":\"after\"}"));
            }
            for (var sent : after) {
                assertEquals("DELIVERED", kafka.resultFor(sent).get("status").asText());
            }
            assertEquals(6, sandbox.alepheeMessages().size());
        } finally {
            broker.close();
        }
    }

    /** The foundation's Kafka health check reports DOWN while the broker is away. */
    private static boolean kafkaDown(BridgeRunner bridge) {
        return org.apache.camel.health.HealthCheckHelper.invokeReadiness(bridge.context()).stream()
                .anyMatch(r -> r.getState() == org.apache.camel.health.HealthCheck.State.DOWN);
    }
}
