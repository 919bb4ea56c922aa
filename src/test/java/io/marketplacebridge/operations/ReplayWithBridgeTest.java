package io.marketplacebridge.operations;

import static io.marketplacebridge.operations.OpsKafka.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

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
 * replay beside a polling bridge: the history comes again once, marked, and the bridge neither republishes it nor
 * misses what comes next (inbound state untouched).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReplayWithBridgeTest {

    private static final int SEEDED = 12;

    @RegisterExtension
    final OpsKafka kafka = new OpsKafka();

    private Map<String, String> bridgeSettings(Sandbox sandbox) {
        Map<String, String> m = kafka.bridgeSettings(sandbox);
        m.put("bridge.inbound.enabled", "true");
        m.put("lectronz.poll-interval", "300ms");
        m.put("lectronz.reconcile-interval", "1h");
        return m;
    }

    private List<ConsumerRecord<String, byte[]>> inbound() {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        for (String topic : List.of(kafka.customer, kafka.seller, kafka.refund)) {
            all.addAll(kafka.readAll(topic));
        }
        return all;
    }

    @Test
    void theHistoryComesAgainOnceAndTheBridgeCarriesOn() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(SEEDED));
             BridgeRunner bridgeRunning = BridgeRunner.start(bridgeSettings(sandbox))) {
            Awaitility.await("history published").atMost(Duration.ofSeconds(120)).until(() -> inbound().size() == SEEDED);

            OpsKafka.Run run = kafka.run("replay", "--account", "default", "--since", "2000-01-01T00:00:00Z");

            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("matched " + SEEDED + ", replayed " + SEEDED + ", skipped 0, failed 0"), run.out());
            long lists = sandbox.calls(Endpoint.LECTRONZ_LIST);
            Awaitility.await("three more polls").atMost(Duration.ofSeconds(120))
                    .until(() -> sandbox.calls(Endpoint.LECTRONZ_LIST) >= lists + 3);
            LectronzMessage next = sandbox.addCustomerMessage(4242, "Is it shipped yet?");
            String nextCeId = "lectronz-message-" + next.id() + "-" + next.updatedAtText();
            Awaitility.await("the next message").atMost(Duration.ofSeconds(120))
                    .until(() -> inbound().stream().anyMatch(r -> nextCeId.equals(header(r, "ce_id"))));

            List<ConsumerRecord<String, byte[]>> all = inbound();
            assertEquals(2 * SEEDED + 1, all.size(), "originals, one replay each, and the next message; nothing republished");
            Map<String, Long> perCeId = all.stream().collect(Collectors.groupingBy(r -> header(r, "ce_id"), Collectors.counting()));
            assertEquals(SEEDED + 1, perCeId.size());
            Map<String, ConsumerRecord<String, byte[]>> replays = all.stream().filter(r -> "true".equals(header(r, "ce_replay")))
                    .collect(Collectors.toMap(r -> header(r, "ce_id"), Function.identity()));
            assertEquals(SEEDED, replays.size());
            assertEquals("com.lectronz.message.created", header(all.stream()
                    .filter(r -> nextCeId.equals(header(r, "ce_id"))).findFirst().orElseThrow(), "ce_type"));
        }
    }
}
