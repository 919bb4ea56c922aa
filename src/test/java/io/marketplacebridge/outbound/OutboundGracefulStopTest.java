package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.marketplacebridge.sandbox.AlepheeMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A rolling deploy: SIGTERM to a bridge in the middle of a 600-command backlog, then a new instance. The
 * stopping instance finishes or gives back what it has in flight and commits what it finished: the sandbox
 * receives every command exactly once, and every command record has exactly one result.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundGracefulStopTest {

    private static final int COMMANDS = 600;
    private static final long FIRST_ORDER = 8_000_000;

    @Test
    void aGracefulStopInTheMiddleOfABacklogSendsNothingTwice() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withLatency(Duration.ofMillis(30))
                .withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("bridge.outbound.concurrency", "4");
            BridgeProcess first = BridgeProcess.start(props).awaitStarted();
            BridgeProcess second = null;
            try {
                kafka.awaitTopics();
                for (int i = 0; i < COMMANDS; i++) {
                    kafka.sendNoWait("k" + (i % 60), """
                            {"channel":"alephee","orderId":%d,"content":"reply %d"}""".formatted(FIRST_ORDER + i, i));
                }
                kafka.flush();
                kafka.results(100, Duration.ofMinutes(2));
                int exit = first.stop(); // SIGTERM, as a rolling deploy does
                int resultsAtStop = kafka.results(0, Duration.ZERO).size();
                int receivedAtStop = sandbox.alepheeMessages().size();
                assertTrue(resultsAtStop < COMMANDS, "stopped in the middle of the backlog: " + resultsAtStop + " results");

                second = BridgeProcess.start(props).awaitStarted();
                kafka.results(COMMANDS, Duration.ofMinutes(3));
                Awaitility.await("all command offsets committed").atMost(Duration.ofMinutes(1))
                        .until(() -> kafka.committedCommands() == COMMANDS);
                List<ConsumerRecord<String, byte[]>> results = kafka.results(COMMANDS, Duration.ofSeconds(1));
                assertEquals(COMMANDS, results.size(), "no command got two results");
                assertEquals(COMMANDS, OutboundKafka.resultsPerSource(results).size());

                Map<Long, Long> perOrder = sandbox.alepheeMessages().stream()
                        .collect(Collectors.groupingBy(AlepheeMessage::orderId, Collectors.counting()));
                assertEquals(COMMANDS, perOrder.size(), "every command reached the sandbox");
                List<Long> twice = perOrder.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                assertEquals(List.of(), twice, "commands the sandbox received more than once");
                assertTrue(first.log().contains("stopping"), "the first instance gave its partitions back:\n" + first.log());
                System.out.printf("OutboundGracefulStopTest: %d commands, SIGTERM (exit %d) after %d results / %d received; "
                        + "re-sends at the sandbox: %d%n", COMMANDS, exit, resultsAtStop, receivedAtStop,
                        sandbox.alepheeMessages().size() - COMMANDS);
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }
}
