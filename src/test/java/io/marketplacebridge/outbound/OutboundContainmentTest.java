package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SPEC 7, containment: on a one-partition topic, commands whose handling throws (in the route's first step and
 * just before the remote call), an {@code id} of 10,000 characters and a command whose remote answer is too long
 * to keep, among valid commands of other keys. Each gets exactly one result (the throwing ones FAILED
 * {@code INTERNAL_ERROR} with a dead-letter copy), and each neighbour reaches the sandbox exactly once.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundContainmentTest {

    /** The test's faults: the real beans, except that a command saying so makes them throw. */
    public static final class ExplodingIntake {
        private final CommandIntake real;

        ExplodingIntake(CommandIntake real) {
            this.real = real;
        }

        public void validate(Exchange exchange) {
            if (new String(CommandIntake.record(exchange).value(), StandardCharsets.UTF_8).contains("intake-explodes")) {
                throw new IllegalStateException("intake failed on purpose");
            }
            real.validate(exchange);
        }

        public void skipDelivered(Exchange exchange) {
            real.skipDelivered(exchange);
        }
    }

    public static final class ExplodingLectronz {
        private final LectronzDelivery real;

        ExplodingLectronz(LectronzDelivery real) {
            this.real = real;
        }

        public void prepareSend(Exchange exchange) {
            if (exchange.getProperty(CommandExchange.COMMAND, OutboundCommand.class).content().contains("request-explodes")) {
                throw new UnsupportedOperationException("request building failed on purpose");
            }
            real.prepareSend(exchange);
        }

        public void prepareMarkAsRead(Exchange exchange) {
            real.prepareMarkAsRead(exchange);
        }

        public void delivered(Exchange exchange) {
            real.delivered(exchange);
        }
    }

    public static final class Faults implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) {
            var registry = context.getRegistry();
            if (registry.lookupByNameAndType("commandIntake", CommandIntake.class) == null) {
                throw new IllegalStateException("runs after the bridge's configuration");
            }
            CommandIntake intake = registry.lookupByNameAndType("commandIntake", CommandIntake.class);
            LectronzDelivery lectronz = registry.lookupByNameAndType("lectronzDelivery", LectronzDelivery.class);
            registry.unbind("commandIntake"); // the registry keeps one bean per name and type: replace, not add
            registry.unbind("lectronzDelivery");
            registry.bind("commandIntake", new ExplodingIntake(intake));
            registry.bind("lectronzDelivery", new ExplodingLectronz(lectronz));
        }
    }

    @Test
    void eachBadCommandGetsOneResultAndItsNeighboursAreSentOnce() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("kafka.topic.partitions", "1");
            try (BridgeRunner bridge = BridgeRunner.start(props, Faults.class)) {
                kafka.awaitTopics();
                List<OutboundKafka.RecordMetadataView> neighbours = new ArrayList<>();
                int order = 6100;
                neighbours.add(kafka.send("n1", lectronz(order++, "first")));
                neighbours.add(kafka.send("n2", lectronz(order++, "second")));
                var intake = kafka.send("bad-1", lectronz(9101, "intake-explodes"), "correlation-id", "c-intake");
                neighbours.add(kafka.send("n3", lectronz(order++, "third")));
                var request = kafka.send("bad-2", lectronz(9102, "request-explodes"), "correlation-id", "c-request");
                neighbours.add(kafka.send("n1", lectronz(order++, "fourth")));
                var longId = kafka.send("bad-3", """
                        {"id":"%s","channel":"lectronz","orderId":9103,"content":"x"}""".formatted("i".repeat(10_000)));
                neighbours.add(kafka.send("n2", lectronz(order++, "fifth")));
                var longAnswer = kafka.send("bad-4", lectronz(9104, "L".repeat(4900)));
                neighbours.add(kafka.send("n3", lectronz(order++, "sixth")));
                neighbours.add(kafka.send("n4", lectronz(order++, "seventh")));
                int total = neighbours.size() + 4;

                JsonNode r = kafka.resultFor(intake);
                assertEquals("FAILED", r.get("status").asText(), r.toString());
                assertEquals("INTERNAL_ERROR", r.get("code").asText());
                r = kafka.resultFor(request);
                assertEquals("FAILED", r.get("status").asText(), r.toString());
                assertEquals("INTERNAL_ERROR", r.get("code").asText());
                assertEquals(0, r.get("attempts").asInt(), "nothing was sent");
                r = kafka.resultFor(longId);
                assertEquals("REJECTED", r.get("status").asText(), r.toString());
                assertEquals("MALFORMED_COMMAND", r.get("code").asText());
                assertEquals(longId.defaultId(kafka.commands), r.get("commandId").asText(), "a 10,000-character id is not echoed");
                r = kafka.resultFor(longAnswer);
                assertEquals("DELIVERED", r.get("status").asText(), r.toString());
                assertTrue(r.get("remoteTruncated").asBoolean(), r.toString());
                assertTrue(r.get("remote").toString().getBytes(StandardCharsets.UTF_8).length <= CommandDraft.MAX_REMOTE_BYTES + 16);
                for (var n : neighbours) {
                    JsonNode ok = kafka.resultFor(n);
                    assertEquals("DELIVERED", ok.get("status").asText(), ok.toString());
                }

                List<ConsumerRecord<String, byte[]>> results = kafka.results(total, Duration.ofSeconds(30));
                assertEquals(total, results.size(), "exactly one result per command record");
                assertEquals(total, OutboundKafka.resultsPerSource(results).size());
                for (var res : results) {
                    assertTrue(res.serializedValueSize() < 8 * 1024, "a result stays small: " + res.serializedValueSize() + " bytes");
                }
                ConsumerRecord<String, byte[]> first = results.get(0);
                assertEquals("1.0", OutboundKafka.header(first, "ce_specversion"));
                assertEquals(CommandCompletion.CE_TYPE_RESULT, OutboundKafka.header(first, "ce_type"));
                assertEquals(OutboundKafka.json(first.value()).get("commandId").asText(), OutboundKafka.header(first, "ce_subject"));
                assertNotNull(Instant.parse(OutboundKafka.header(first, "ce_time")));
                assertEquals("application/json", OutboundKafka.header(first, "content-type"));
                Set<String> ids = results.stream().map(x -> OutboundKafka.header(x, "ce_id")).collect(Collectors.toSet());
                assertEquals(total, ids.size(), "unique ce_id");

                // dead letters: exactly one copy of each of the three failed or rejected commands
                List<ConsumerRecord<String, byte[]>> dead = kafka.deadLetters(3, Duration.ofSeconds(30));
                assertEquals(3, dead.size(), "dead letters");
                Set<String> deadOffsets = new HashSet<>();
                dead.forEach(d -> deadOffsets.add(OutboundKafka.header(d, "source-offset")));
                assertEquals(Set.of(String.valueOf(intake.offset()), String.valueOf(request.offset()), String.valueOf(longId.offset())), deadOffsets);
                ConsumerRecord<String, byte[]> intakeCopy = dead.stream()
                        .filter(d -> "c-intake".equals(OutboundKafka.header(d, "correlation-id"))).findFirst().orElseThrow();
                assertEquals("INTERNAL_ERROR", OutboundKafka.header(intakeCopy, "error-code"));
                assertEquals(CommandCompletion.CE_TYPE_DEAD_LETTER, OutboundKafka.header(intakeCopy, "ce_type"));
                assertEquals(lectronz(9101, "intake-explodes"), new String(intakeCopy.value(), StandardCharsets.UTF_8));

                // at the sandbox: each neighbour and the long answer exactly once, the throwing ones never
                Map<Long, Long> received = sandbox.createdMessages().stream()
                        .collect(Collectors.groupingBy(LectronzMessage::orderId, Collectors.counting()));
                for (int o = 6100; o < order; o++) {
                    assertEquals(1L, received.get((long) o), "order " + o + " received once");
                }
                assertEquals(1L, received.get(9104L));
                assertNull(received.get(9101L));
                assertNull(received.get(9102L));
                assertNull(received.get(9103L));
                int attempts = results.stream().mapToInt(x -> OutboundKafka.json(x.value()).get("attempts").asInt()).sum();
                assertEquals(sandbox.calls(Endpoint.LECTRONZ_CREATE), attempts, "the results' attempts are the calls the sandbox saw");
                System.out.printf("OutboundContainmentTest: %d commands (4 bad) on one partition, re-sends at the sandbox: %d%n",
                        total, sandbox.createdMessages().size() - received.size());
            }
        }
    }

    private static String lectronz(int orderId, String content) {
        return """
                {"channel":"lectronz","orderId":%d,"content":"%s"}""".formatted(orderId, content);
    }
}
