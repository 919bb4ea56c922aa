package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketplacebridge.sandbox.AlepheeMessage;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SPEC 7, "each command reaches a remote once": a remote answering 30% of calls with 500, 10% with 429 and
 * hanging 5% of them for 3 s. Counted at the sandbox: every command received exactly once, in key order, and
 * the calls it saw are exactly the attempts the results report.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundFaultyRemoteTest {

    private static final int COMMANDS = 120;
    private static final int KEYS = 24;
    private static final long FIRST_ORDER = 5_000_000;

    @Test
    void everyCommandReachesTheRemoteExactlyOnceDespiteErrorsRateLimitsAndHangs() throws Exception {
        SandboxOptions d = SandboxOptions.defaults(0).withSeedMessages(0).withAlepheeRateLimit(0);
        SandboxOptions faulty = new SandboxOptions(d.port(), d.lectronzToken(), d.alepheeApiKey(), d.alepheeAccountId(),
                d.seedMessages(), d.demoInterval(), d.latency(), 0.30, 0.10, 1, 0.05, Duration.ofSeconds(3),
                d.alepheeRateLimit(), d.firstMessageId());
        try (Sandbox sandbox = Sandbox.start(faulty); OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            // 40% of calls fail: enough retries that a command practically never runs out of them
            props.put("bridge.http.max-retries", "20");
            props.put("bridge.outbound.retry-timeout", "3m");
            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                kafka.awaitTopics();
                List<OutboundKafka.RecordMetadataView> sent = new ArrayList<>();
                for (int i = 0; i < COMMANDS; i++) {
                    sent.add(kafka.send("k" + (i % KEYS), """
                            {"channel":"alephee","orderId":%d,"content":"reply %d"}""".formatted(FIRST_ORDER + i, i)));
                }
                List<ConsumerRecord<String, byte[]>> results = kafka.results(COMMANDS, Duration.ofMinutes(4));
                assertEquals(COMMANDS, results.size(), "one result per command, no more");
                Map<String, Long> perSource = OutboundKafka.resultsPerSource(results);
                for (var s : sent) {
                    assertEquals(1L, perSource.get(s.partition() + "/" + s.offset()), "one result for " + s);
                }
                int attempts = 0;
                for (var r : results) {
                    JsonNode n = OutboundKafka.json(r.value());
                    assertEquals("DELIVERED", n.get("status").asText(), n.toString());
                    attempts += n.get("attempts").asInt();
                }

                List<Long> received = sandbox.alepheeMessages().stream().map(AlepheeMessage::orderId).toList();
                Map<Long, Long> perOrder = received.stream().collect(Collectors.groupingBy(o -> o, Collectors.counting()));
                assertEquals(COMMANDS, perOrder.size(), "every command reached the sandbox");
                assertEquals(List.of(), perOrder.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(),
                        "commands the sandbox received more than once");
                assertEquals(sandbox.calls(Endpoint.ALEPHEE_SEND), attempts, "the results' attempts are the calls the sandbox saw");
                assertTrue(attempts > COMMANDS, "the faults made the bridge retry: " + attempts + " calls");

                Map<Long, List<Long>> perKey = new HashMap<>();
                received.forEach(o -> perKey.computeIfAbsent((o - FIRST_ORDER) % KEYS, k -> new ArrayList<>()).add(o));
                perKey.forEach((key, orders) -> assertEquals(orders.stream().sorted().toList(), orders, "key k" + key + " in order"));
                System.out.printf("OutboundFaultyRemoteTest: %d commands / %d keys, %d calls at the sandbox, re-sends: %d%n",
                        COMMANDS, KEYS, attempts, received.size() - COMMANDS);
            }
        }
    }
}
