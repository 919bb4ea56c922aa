package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two deployments for two stores on one Kafka, with the same topics, the same base URL, the same account name
 * ({@code default}) and every other setting alike: only the tokens differ. Neither takes the other's lease,
 * transactional id or state, so both stores reach Kafka, each message once.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TwoDeploymentsTest {

    @Test
    void twoStoresWithDefaultSettingsOnOneKafkaBothPublishEverythingOnce() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(30));
             InboundTopics topics = new InboundTopics(EmbeddedKafkaExtension.bootstrapServers(), "two-deployments")) {
            Sandbox.Store second = sandbox.addLectronzStore("token-of-the-second-store");
            Map<String, String> first = topics.settings(EmbeddedKafkaExtension.bootstrapServers(), sandbox.lectronzBaseUrl());
            Map<String, String> other = new HashMap<>(first);
            other.put("lectronz.api-token", "token-of-the-second-store");
            try (BridgeRunner a = BridgeRunner.start(first); BridgeRunner b = BridgeRunner.start(other)) {
                Awaitility.await("both stores published").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200)).until(() -> topics.read().size() >= 60);
                InboundTopics.awaitPolls(a.context(), 2);
                InboundTopics.awaitPolls(b.context(), 2);
            }
            Map<String, InboundTopics.Rec> byCeId = new HashMap<>();
            for (InboundTopics.Rec r : topics.read()) {
                assertEquals("default", r.headers().get("marketplace-account"));
                assertEquals(sandbox.lectronzBaseUrl(), r.headers().get("ce_source"));
                assertNull(byCeId.put(r.ceId(), r), "published twice: " + r.ceId());
            }
            for (List<LectronzMessage> store : List.of(sandbox.messages(), second.messages())) {
                for (LectronzMessage m : store) {
                    assertTrue(byCeId.containsKey(InboundTopics.ceId(m)), "missing " + m.id());
                }
            }
            assertEquals(60, byCeId.size());
        }
    }
}
