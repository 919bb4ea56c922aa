package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.marketplacebridge.kafka.EmbeddedKafkaBroker;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker stops while Lectronz keeps changing, then comes back on the same port and data: the bridge keeps
 * running, reports Kafka DOWN, fails and retries its writes, and afterwards every (id, updated_at) is on Kafka
 * exactly once with the right type. Uses its own broker so it can restart it.
 */
class InboundKafkaOutageTest {

    private static final int SEEDED = 60;

    @Test
    void brokerRestartWithChangesDuringTheOutageLosesAndDuplicatesNothing() throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Files.createTempDirectory("inbound-outage-kafka")).start();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(SEEDED));
             InboundTopics topics = new InboundTopics(broker.bootstrapServers(), "outage")) {
            Map<String, String> settings = settings(topics, broker, sandbox);
            try (BridgeRunner bridge = BridgeRunner.start(settings)) {
                awaitRecords(topics, SEEDED);
                List<LectronzMessage> seeded = sandbox.messages();

                broker.close();
                HealthCheck kafka = HealthCheckRegistry.get(bridge.context()).getCheck("kafka").orElseThrow();
                Awaitility.await("kafka DOWN").atMost(Duration.ofSeconds(15)).until(() -> kafka.call().getState() == HealthCheck.State.DOWN);
                double failuresBefore = kafkaFailures(bridge);
                // Lectronz keeps changing while Kafka is away: new buyer messages, updates of recent ones
                List<LectronzMessage> added = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    added.add(sandbox.addCustomerMessage(seeded.get(i).orderId(), "during the outage " + i));
                }
                List<LectronzMessage> touched = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    touched.add(sandbox.touchMessage(seeded.get(SEEDED - i).id()));
                }
                Awaitility.await("a poll fails on Kafka").atMost(Duration.ofSeconds(20))
                        .until(() -> kafkaFailures(bridge) > failuresBefore);
                assertEquals(ServiceStatus.Started, bridge.context().getStatus());
                assertEquals(HealthCheck.State.DOWN, kafka.call().getState());
                assertEquals(SEEDED, topics.read().size(), "nothing new is readable while Kafka is down");

                broker.start();
                Awaitility.await("kafka UP").atMost(Duration.ofSeconds(20)).until(() -> kafka.call().getState() == HealthCheck.State.UP);
                List<InboundTopics.Rec> recs = awaitRecords(topics, SEEDED + added.size() + touched.size());
                InboundTopics.awaitPolls(bridge.context(), 2); // anything published twice would show up by now
                recs = topics.read();

                Map<String, InboundTopics.Rec> byCeId = InboundTopics.assertEveryVersionExactlyOnce(recs, sandbox.messages());
                for (LectronzMessage m : sandbox.messages()) {
                    assertEquals(topics.prefix + "." + suffix(m.type()), byCeId.get(ceId(m)).topic());
                }
                for (LectronzMessage m : added) {
                    assertEquals("com.lectronz.message.created", byCeId.get(ceId(m)).headers().get("ce_type"));
                }
                for (LectronzMessage m : touched) {
                    assertEquals("com.lectronz.message.updated", byCeId.get(ceId(m)).headers().get("ce_type"));
                }
                assertEquals(SEEDED + added.size() + touched.size(), recs.size());
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void brokerRestartInTheMiddleOfABacklogLosesAndDuplicatesNothing() throws Exception {
        int backlog = 1000;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Files.createTempDirectory("inbound-outage-kafka")).start();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(backlog)
                .withLatency(Duration.ofMillis(5)));
             InboundTopics topics = new InboundTopics(broker.bootstrapServers(), "outage-backlog")) {
            Map<String, String> settings = settings(topics, broker, sandbox);
            settings.put("lectronz.page-size", "50");
            try (BridgeRunner bridge = BridgeRunner.start(settings)) {
                awaitRecords(topics, InboundPublish.BATCH_SIZE);
                broker.close();
                double failuresBefore = kafkaFailures(bridge);
                Awaitility.await("a write fails on Kafka").atMost(Duration.ofSeconds(20))
                        .until(() -> kafkaFailures(bridge) > failuresBefore);
                assertEquals(ServiceStatus.Started, bridge.context().getStatus());
                broker.start();
                awaitRecords(topics, backlog);
                InboundTopics.awaitPolls(bridge.context(), 2);
                List<InboundTopics.Rec> recs = topics.read();
                InboundTopics.assertEveryVersionExactlyOnce(recs, sandbox.messages());
                assertTrue(recs.stream().allMatch(r -> "com.lectronz.message.created".equals(r.headers().get("ce_type"))));
                assertEquals(backlog, recs.size());
            }
        } finally {
            broker.close();
        }
    }

    private static Map<String, String> settings(InboundTopics topics, EmbeddedKafkaBroker broker, Sandbox sandbox) {
        Map<String, String> settings = topics.settings(broker.bootstrapServers(), sandbox.lectronzBaseUrl());
        settings.put("lectronz.poll-interval", "500ms");
        // a write to an unreachable Kafka gives up after 3 s (default 30 s), so a failed poll fits the test
        settings.put("kafka.client.max.block.ms", "3000");
        return settings;
    }

    private static String ceId(LectronzMessage m) {
        return InboundTopics.ceId(m);
    }

    private static String suffix(String type) {
        return switch (type) {
            case LectronzMessage.CUSTOMER -> "customer";
            case LectronzMessage.SELLER -> "seller";
            default -> "refund";
        };
    }

    private static List<InboundTopics.Rec> awaitRecords(InboundTopics topics, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> topics.read().size() >= n);
        return topics.read();
    }

    private static double kafkaFailures(BridgeRunner bridge) {
        MeterRegistry registry = bridge.context().getRegistry().findSingleByType(MeterRegistry.class);
        registry = registry != null ? registry : Metrics.globalRegistry;
        var counter = registry.find("lectronz.inbound.kafka.failures").counter();
        return counter == null ? 0 : counter.count();
    }
}
