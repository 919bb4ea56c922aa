package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class InboundPublishTest {

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void givenARunThenEveryMessageIsPublishedOnceOnItsTopicAndRemembered() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("publish-run")) {
            f.lectronz.addMany(30); // 10 seller, 20 customer messages
            InboundRun run = f.scan.scan();

            assertSame(run, f.publish.publish(run));

            List<ConsumerRecord<String, byte[]>> records = f.awaitRecords(30);
            Set<String> ceIds = new HashSet<>();
            records.forEach(r -> ceIds.add(header(r, "ce_id")));
            assertEquals(30, ceIds.size(), "each version once");
            assertEquals(20, records.stream().filter(r -> r.topic().equals(f.topics.customerMessages())).count());
            assertEquals(10, records.stream().filter(r -> r.topic().equals(f.topics.sellerMessages())).count());
            assertEquals(30, f.counter("lectronz.inbound.published"));
            assertEquals(0, f.scan.scan().changes(), "the next scan knows them all");
        }
    }

    @Test
    void givenAMalformedDetailThenItIsCountedNotPublishedAndTheNextScanFindsItAgain() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("publish-malformed")) {
            f.lectronz.addMany(3);
            f.lectronz.get(1001).body = """
                    {"id": 1001, "type": "customer_order_message", "updated_at": "2026-11-01T00:00:01Z"}""";

            f.publish.publish(f.scan.scan());

            assertEquals(2, f.awaitRecords(2).size());
            assertEquals(1, f.counter("lectronz.inbound.malformed"));
            assertEquals(List.of(1001L), f.scan.scan().changed().stream().map(LectronzApi.Item::id).toList());
        }
    }

    @Test
    void givenTheLeadIsLostBeforeTheFirstTransactionThenNothingIsPublished() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("publish-lost-lead")) {
            f.lectronz.addMany(30);
            InboundRun run = f.scan.scan();
            f.leading.set(false);

            assertNull(f.publish.publish(run));

            f.leading.set(true);
            f.session.standDown(); // read the state again from Kafka: nothing of the run is in it
            assertEquals(30, f.scan.scan().changes());
        }
    }

    @Test
    void givenARunThatFoundNothingThenThereIsNothingToPublish() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("publish-nothing")) {
            InboundRun run = f.scan.scan();

            assertSame(run, f.publish.publish(run));

            assertEquals(0, f.lectronz.detailCalls.get());
            assertNull(f.publish.publish(null));
        }
    }

    @Test
    void givenAFirstSyncThenPublishingStartsWithTheOldestPageBeforeTheListIsRead() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("publish-first-sync")) {
            f.lectronz.addMany(600); // pages of 20: the head, then 29 more list calls
            java.util.concurrent.atomic.AtomicReference<Double> publishedAtLastPage = new java.util.concurrent.atomic.AtomicReference<>();
            f.lectronz.beforeList = n -> {
                if (n == 29) { // the walk's last page: a transaction of 250 must be committed without it
                    org.awaitility.Awaitility.await("a batch committed before the last page").atMost(java.time.Duration.ofSeconds(30))
                            .until(() -> f.counter("lectronz.inbound.published") >= 250);
                    publishedAtLastPage.set(f.counter("lectronz.inbound.published"));
                }
            };

            InboundRun run = f.publish.publish(f.scan.scan());

            org.junit.jupiter.api.Assertions.assertNotNull(run, "the run published everything");
            org.junit.jupiter.api.Assertions.assertTrue(publishedAtLastPage.get() >= 250);
            List<ConsumerRecord<String, byte[]>> records = f.awaitRecords(600);
            Set<String> ceIds = new HashSet<>();
            records.forEach(r -> ceIds.add(header(r, "ce_id")));
            assertEquals(600, ceIds.size(), "each version once");
            assertEquals(600, records.size());
            assertEquals(30, f.lectronz.listCalls.get(), "as a scan from the head");
            assertEquals(0, f.scan.scan().changes(), "the next scan knows them all");
        }
    }

    @Test
    void givenTheListFailsDuringAFirstSyncThenWhatWasCommittedStaysAndTheNextPollPublishesTheRestOnce() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("publish-first-sync-fails")) {
            f.lectronz.addMany(600);
            java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
            f.lectronz.beforeList = n -> {
                if (n == 20 && failing.get()) { // the walk has handed on the 380 oldest by then
                    throw new LectronzApi.LectronzException("Lectronz answered 503 after the retries", 503, null);
                }
            };

            assertNull(f.publish.publish(f.scan.scan()), "the run ended with the list's failure");
            assertEquals(380, f.counter("lectronz.inbound.published"), "what the walk found before failing");

            failing.set(false);
            f.poll();

            List<ConsumerRecord<String, byte[]>> records = f.awaitRecords(600);
            List<String> ceIds = records.stream().map(r -> header(r, "ce_id")).toList();
            assertEquals(600, new HashSet<>(ceIds).size(), "every message");
            assertEquals(600, ceIds.size(), "each once");
            assertEquals(600, f.counter("lectronz.inbound.published"));
        }
    }
}
