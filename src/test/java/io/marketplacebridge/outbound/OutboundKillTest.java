package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/** kill -9 twice while commands stream through: every command record still gets exactly one result. */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundKillTest {

    private static final int COMMANDS = 300;

    @Test
    void exactlyOneResultPerCommandAcrossKillMinus9() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withLatency(Duration.ofMillis(40)));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("bridge.outbound.concurrency", "4");
            BridgeProcess bridge = BridgeProcess.start(props).awaitStarted();
            try {
                kafka.awaitTopics();
                for (int i = 0; i < COMMANDS; i++) {
                    int key = i % 30;
                    kafka.send("k" + key, "{\"channel\":\"alephee\",\"orderId\":" + (100_000 + i) + ",\"content\":\"reply " + i + "\"}");
                }
                for (int threshold : new int[] {40, 140}) {
                    kafka.results(threshold, Duration.ofSeconds(90));
                    bridge.kill9();
                    bridge = BridgeProcess.start(props).awaitStarted();
                }
                kafka.results(COMMANDS, Duration.ofSeconds(120));
                // offsets are committed in the results' transaction: once they cover every command, no result is pending
                Awaitility.await("all command offsets committed").atMost(Duration.ofSeconds(60)).until(() -> kafka.committedCommands() == COMMANDS);
                List<ConsumerRecord<String, byte[]>> all = kafka.results(COMMANDS, Duration.ofSeconds(1));
                Map<String, Long> perSource = all.stream().map(r -> OutboundKafka.json(r.value()).get("source"))
                        .collect(Collectors.groupingBy(s -> s.get("partition").asText() + "/" + s.get("offset").asText(), Collectors.counting()));
                assertEquals(COMMANDS, perSource.size(), "every command has a result");
                assertTrue(perSource.values().stream().allMatch(n -> n == 1), "no command has two results: " + perSource);
                assertTrue(all.stream().map(r -> OutboundKafka.json(r.value())).allMatch(n -> "DELIVERED".equals(n.get("status").asText())));
                Map<Long, Long> sends = new HashMap<>();
                sandbox.alepheeMessages().forEach(m -> sends.merge(m.orderId(), 1L, Long::sum));
                assertEquals(COMMANDS, sends.size(), "every command reached the remote");
                long twice = sends.values().stream().filter(n -> n > 1).count();
                System.out.println("OutboundKillTest: " + COMMANDS + " commands, 2 x kill -9, sent more than once to the sandbox: " + twice);
            } finally {
                bridge.close();
            }
        }
    }

}
