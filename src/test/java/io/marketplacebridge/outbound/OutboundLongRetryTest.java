package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketplacebridge.sandbox.AlepheeMessage;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SPEC 7: one command retried for longer than {@code max.poll.interval.ms} (10 s here) holds only its own key.
 * The instance stays in its group (same member, no rebalance), the other keys flow meanwhile, and nothing is
 * sent twice.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundLongRetryTest {

    @Test
    void aCommandRetriedLongerThanTheMaxPollIntervalKeepsTheInstanceInItsGroup() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("kafka.client.max.poll.interval.ms", "10000");
            props.put("bridge.http.max-retries", "8");
            props.put("bridge.outbound.retry-timeout", "2m");
            String group = kafka.prefix + "group";
            try (BridgeRunner bridge = BridgeRunner.start(props); Admin admin = admin(kafka)) {
                kafka.awaitTopics();
                kafka.resultFor(kafka.send("warm-up", lectronz(7000, "hello")));
                Set<String> membersBefore = members(admin, group);
                assertEquals(1, membersBefore.size(), "one instance in the group");

                // five 429s asking for 5 s each: the command takes 25 s or more, well past max.poll.interval.ms
                sandbox.rateLimitNext(Endpoint.ALEPHEE_SEND, 5, 5);
                long start = System.nanoTime();
                var slow = kafka.send("slow", """
                        {"channel":"alephee","orderId":7100,"content":"patience"}""");
                Awaitility.await("the slow command is being retried").atMost(Duration.ofSeconds(60))
                        .until(() -> sandbox.calls(Endpoint.ALEPHEE_SEND) >= 1);
                List<OutboundKafka.RecordMetadataView> others = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    others.add(kafka.send("other-" + (i % 5), lectronz(7000 + i, "meanwhile " + i)));
                }
                for (var o : others) {
                    assertEquals("DELIVERED", kafka.resultFor(o).get("status").asText());
                }
                assertTrue(sandbox.alepheeMessages().isEmpty(), "the other keys were delivered while the slow one still retried");

                JsonNode r = kafka.resultFor(slow);
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertEquals("DELIVERED", r.get("status").asText(), r.toString());
                assertEquals(6, r.get("attempts").asInt());
                assertTrue(seconds >= 20, "the command retried for " + seconds + " s, past max.poll.interval.ms");
                assertEquals(6, sandbox.calls(Endpoint.ALEPHEE_SEND), "calls at the sandbox = attempts");
                assertEquals(List.of(7100L), sandbox.alepheeMessages().stream().map(AlepheeMessage::orderId).toList(),
                        "received once");
                Map<Long, Long> lectronz = sandbox.createdMessages().stream()
                        .collect(Collectors.groupingBy(LectronzMessage::orderId, Collectors.counting()));
                assertEquals(21, lectronz.size());
                assertTrue(lectronz.values().stream().allMatch(n -> n == 1), "each other command received once: " + lectronz);

                assertEquals(membersBefore, members(admin, group), "the same member: the instance never left its group");
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                assertEquals(ConsumerGroupState.STABLE, d.state());
                assertEquals(22, kafka.results(22, Duration.ofSeconds(10)).size(), "one result each");
                System.out.printf("OutboundLongRetryTest: one command retried %d s with max.poll.interval.ms 10 s; "
                        + "group member unchanged; re-sends at the sandbox: %d%n", seconds,
                        sandbox.alepheeMessages().size() - 1 + sandbox.createdMessages().size() - lectronz.size());
            }
        }
    }

    private static Admin admin(OutboundKafka kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers());
        return Admin.create(p);
    }

    private static Set<String> members(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .map(MemberDescription::consumerId).collect(Collectors.toSet());
    }

    private static String lectronz(int orderId, String content) {
        return """
                {"channel":"lectronz","orderId":%d,"content":"%s"}""".formatted(orderId, content);
    }
}
