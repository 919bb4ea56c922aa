package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole bridge in-process against the real embedded broker and the Lectronz sandbox. */
@ExtendWith(EmbeddedKafkaExtension.class)
class InboundBridgeTest {

    private Sandbox sandbox;
    private InboundTopics topics;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(45));
        topics = new InboundTopics(EmbeddedKafkaExtension.bootstrapServers(), "inbound");
    }

    @AfterEach
    void stop() {
        topics.close();
        sandbox.close();
    }

    private Map<String, String> settings() { // mutable
        return topics.settings(EmbeddedKafkaExtension.bootstrapServers(), sandbox.lectronzBaseUrl());
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private List<InboundTopics.Rec> awaitRecords(int n) {
        await().until(() -> topics.read().size() >= n);
        return topics.read();
    }

    /** Every (id, updated_at) in the sandbox now, exactly once on Kafka. */
    private void assertExactlyOnce(List<InboundTopics.Rec> recs) {
        List<String> ceIds = recs.stream().map(InboundTopics.Rec::ceId).toList();
        Set<String> unique = new HashSet<>(ceIds);
        assertEquals(unique.size(), ceIds.size(), "duplicates: " + ceIds.stream()
                .filter(i -> ceIds.indexOf(i) != ceIds.lastIndexOf(i)).distinct().toList());
        for (LectronzMessage m : sandbox.messages()) {
            assertTrue(unique.contains("lectronz-message-" + m.id() + "-" + m.updatedAtText()), "missing " + m.id());
        }
    }

    @Test
    void backlogThenNewUpdatedIdleAndRestartWithoutDuplicates() throws Exception {
        List<LectronzMessage> seeded = sandbox.messages();
        try (BridgeRunner bridge = BridgeRunner.start(settings())) {
            List<InboundTopics.Rec> recs = awaitRecords(45);
            assertExactlyOnce(recs);
            // records: key, value as returned, CloudEvents headers
            HttpClient http = HttpClient.newHttpClient();
            for (InboundTopics.Rec r : recs) {
                LectronzMessage m = sandbox.message(r.messageId()).orElseThrow();
                assertEquals(String.valueOf(m.orderId()), r.key());
                assertEquals(topics.prefix + switch (m.type()) {
                    case LectronzMessage.CUSTOMER -> ".customer";
                    case LectronzMessage.SELLER -> ".seller";
                    default -> ".refund";
                }, r.topic());
                assertEquals("1.0", r.headers().get("ce_specversion"));
                assertEquals(sandbox.lectronzBaseUrl(), r.headers().get("ce_source"));
                assertEquals("com.lectronz.message.created", r.headers().get("ce_type"));
                assertEquals(m.updatedAtText(), r.headers().get("ce_time"));
                assertEquals("order/" + m.orderId(), r.headers().get("ce_subject"));
                assertEquals("application/json", r.headers().get("content-type"));
                assertEquals("default", r.headers().get("marketplace-account"));
            }
            InboundTopics.Rec first = recs.get(0);
            String asReturned = http.send(HttpRequest.newBuilder(URI.create(sandbox.lectronzBaseUrl() + "/messages/"
                            + first.messageId())).header("Authorization", "Bearer sandbox-lectronz-token").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(asReturned, first.value(), "value is the detail exactly as returned");
            // within one order (one key: one partition of each topic), records are in created_at order
            Map<String, List<InboundTopics.Rec>> byKey = recs.stream().collect(Collectors.groupingBy(r -> r.topic() + "/" + r.key()));
            for (List<InboundTopics.Rec> order : byKey.values()) {
                List<Long> ids = order.stream().sorted(Comparator.comparingLong(InboundTopics.Rec::offset))
                        .map(InboundTopics.Rec::messageId).toList();
                assertEquals(ids.stream().sorted().toList(), ids, "created_at order within an order");
            }

            // idle: one list call per poll, no detail call, nothing written
            sandbox.resetCalls();
            await().until(() -> sandbox.calls(Endpoint.LECTRONZ_LIST) >= 4);
            assertEquals(0, sandbox.calls(Endpoint.LECTRONZ_DETAIL));
            assertEquals(45, topics.read().size());

            // a new message is created, a change of a recent one is updated
            LectronzMessage fresh = sandbox.addCustomerMessage(seeded.get(0).orderId(), "Any news?");
            LectronzMessage touched = sandbox.touchMessage(seeded.get(44).id());
            recs = awaitRecords(47);
            InboundTopics.Rec created = recs.stream().filter(r -> r.messageId() == fresh.id()).findFirst().orElseThrow();
            assertEquals("com.lectronz.message.created", created.headers().get("ce_type"));
            InboundTopics.Rec updated = recs.stream().filter(r -> r.ceId().equals(
                    "lectronz-message-" + touched.id() + "-" + touched.updatedAtText())).findFirst().orElseThrow();
            assertEquals("com.lectronz.message.updated", updated.headers().get("ce_type"));
            assertExactlyOnce(recs);
        }
        // restart: resumes from the state topic, publishes only what is new
        sandbox.addCustomerMessage(777, "while the bridge was down");
        sandbox.resetCalls();
        try (BridgeRunner bridge = BridgeRunner.start(settings())) {
            List<InboundTopics.Rec> recs = awaitRecords(48);
            await().until(() -> sandbox.calls(Endpoint.LECTRONZ_LIST) >= 3);
            assertEquals(48, topics.read().size());
            assertEquals(1, sandbox.calls(Endpoint.LECTRONZ_DETAIL), "only the new message is fetched");
            assertExactlyOnce(topics.read());
        }
    }

    @Test
    void rejectedTokenTurnsHealthDownAndRecoversWhenTheTokenWorksAgain() {
        sandbox.setLectronzToken("rotated-token");
        try (BridgeRunner bridge = BridgeRunner.start(settings())) {
            HealthCheck check = HealthCheckRegistry.get(bridge.context()).getCheck("lectronz").orElseThrow();
            await().until(() -> check.call().getState() == HealthCheck.State.DOWN);
            assertTrue(check.call().getMessage().orElse("").contains("LECTRONZ_API_TOKEN"));
            // no hammering: one list call per poll, no retries of a 401 (a retried one would be 4 per poll)
            sandbox.resetCalls();
            InboundTopics.awaitPolls(bridge.context(), 3);
            assertTrue(sandbox.calls(Endpoint.LECTRONZ_LIST) <= 4, "3 polls, at most one more started: " + sandbox.calls());
            assertEquals(0, sandbox.calls(Endpoint.LECTRONZ_DETAIL));
            assertEquals(0, topics.read().size());
            sandbox.setLectronzToken("sandbox-lectronz-token");
            awaitRecords(45);
            await().until(() -> check.call().getState() == HealthCheck.State.UP);
            assertExactlyOnce(topics.read());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rateLimitWaitsRetryAfterAndServerErrorsAreRecoveredWithoutLossOrDuplicate() throws Exception {
        try (BridgeRunner bridge = BridgeRunner.start(settings())) {
            awaitRecords(45);
            // 429 with Retry-After: 2 s; the bridge's own back-off is 50 ms, so only Retry-After explains the wait
            sandbox.rateLimitNext(Sandbox.LECTRONZ, 1, 2);
            long t0 = System.nanoTime();
            sandbox.addCustomerMessage(4242, "rate limited");
            awaitRecords(46);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waitedMs >= 2000, "published after " + waitedMs + " ms, before Retry-After elapsed");

            // a burst of 5xx longer than the retries: the scan stops, resumes at a later poll, nothing lost
            sandbox.failNext(Sandbox.LECTRONZ + "/messages/", 9, 503);
            for (int i = 0; i < 30; i++) {
                sandbox.addCustomerMessage(5000 + i % 4, "burst " + i);
            }
            awaitRecords(76);
            InboundTopics.awaitPolls(bridge.context(), 2);
            assertEquals(76, topics.read().size());
            assertExactlyOnce(topics.read());
        }
    }

    @Test
    void markAsReadOnlyAfterCommitThenTheReadVersionIsPublishedAsUpdated() throws Exception {
        Map<String, String> s = settings();
        s.put("lectronz.mark-as-read", "true");
        List<LectronzMessage> unread = sandbox.messages().stream()
                .filter(m -> m.type().equals(LectronzMessage.CUSTOMER) && m.readAt() == null).toList();
        assertTrue(unread.size() > 3, "the seed has unread customer messages");
        try (BridgeRunner bridge = BridgeRunner.start(s)) {
            await().until(() -> unread.stream().allMatch(m -> sandbox.message(m.id()).orElseThrow().readAt() != null));
            // every marked message: first its unread version (created), then its read version (updated)
            List<InboundTopics.Rec> recs = awaitRecords(45 + unread.size());
            for (LectronzMessage m : unread) {
                LectronzMessage read = sandbox.message(m.id()).orElseThrow();
                List<InboundTopics.Rec> mine = recs.stream().filter(r -> r.messageId() == m.id())
                        .sorted(Comparator.comparingLong(InboundTopics.Rec::offset)).toList();
                assertEquals(2, mine.size(), "message " + m.id());
                assertEquals("com.lectronz.message.created", mine.get(0).headers().get("ce_type"));
                assertTrue(mine.get(0).value().contains("\"read_at\":null"), mine.get(0).value());
                assertEquals("lectronz-message-" + m.id() + "-" + read.updatedAtText(), mine.get(1).ceId());
                assertEquals("com.lectronz.message.updated", mine.get(1).headers().get("ce_type"));
            }
            assertEquals(unread.size(), sandbox.calls(Endpoint.LECTRONZ_MARK_AS_READ), "each marked once");
            // then idle: no more marks, no more records
            sandbox.resetCalls();
            await().until(() -> sandbox.calls(Endpoint.LECTRONZ_LIST) >= 3);
            assertEquals(0, sandbox.calls(Endpoint.LECTRONZ_MARK_AS_READ));
            assertEquals(45 + unread.size(), topics.read().size());
            assertExactlyOnce(topics.read());
        }
    }
}
