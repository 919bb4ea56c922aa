package io.marketplacebridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class DeliveredIdsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = NOW;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void givenDeliveriesOlderAndYoungerThanTheRetentionThenOnlyTheYoungerAreRememberedAndTheOlderGetTombstones()
            throws Exception {
        KafkaClients clients = new KafkaClients(EmbeddedKafkaExtension.bootstrapServers(), Map.of());
        String topic = "state-" + UUID.randomUUID();
        try (Admin admin = clients.admin("delivered-ids-test")) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        MovableClock clock = new MovableClock();
        Duration retention = Duration.ofMinutes(10);
        try (DeliveredIds writer = new DeliveredIds(clients, topic, retention, clock);
             KafkaProducer<String, byte[]> producer = clients.transactionalProducer("delivered-ids-test", "tx-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(writer.deliveredRecord("old", NOW.minus(Duration.ofMinutes(11))));
            producer.send(writer.deliveredRecord("recent", NOW.minus(Duration.ofMinutes(2))));
            producer.send(writer.deliveredRecord("forgotten", NOW.minus(Duration.ofMinutes(1))));
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, DeliveredIds.PARTITION,
                    DeliveredIds.key("forgotten"), null));
            producer.commitTransaction();
        }

        try (DeliveredIds ids = new DeliveredIds(clients, topic, retention, clock)) {
            ids.start();
            ids.loaded().get(60, TimeUnit.SECONDS);
            assertFalse(ids.contains("old"), "older than the retention");
            assertTrue(ids.contains("recent"));
            assertFalse(ids.contains("forgotten"), "a tombstone forgets");
            Awaitility.await("tombstone of old").atMost(Duration.ofSeconds(60))
                    .until(() -> latest(clients, topic).containsKey(DeliveredIds.key("old"))
                            && latest(clients, topic).get(DeliveredIds.key("old")).isEmpty());

            // time passes: the recent one expires too, and the next sweep writes its tombstone
            clock.advance(Duration.ofMinutes(9));
            assertFalse(ids.contains("recent"), "forgotten as soon as it is older than the retention");
            Awaitility.await("tombstone of recent").atMost(Duration.ofSeconds(60))
                    .until(() -> latest(clients, topic).get(DeliveredIds.key("recent")).isEmpty());
            assertEquals(0, ids.size());
        }
    }

    @Test
    void theStateValueIsTheDeliveredAtEpochInAFewBytes() {
        DeliveredIds ids = new DeliveredIds(null, "state", Duration.ofDays(7));
        byte[] value = ids.deliveredRecord("reply-42", NOW).value();
        assertEquals(String.valueOf(NOW.toEpochMilli()), new String(value, StandardCharsets.US_ASCII));
        assertTrue(value.length <= 16);
        assertEquals(DeliveredIds.PARTITION, ids.deliveredRecord("reply-42", NOW).partition());
        assertEquals("outbound.delivered:reply-42", ids.deliveredRecord("reply-42", NOW).key());
    }

    @Test
    void aValueOfAnOlderVersionCountsAsDeliveredWhenReadSoItIsKeptForOneMoreRetention() {
        MovableClock clock = new MovableClock();
        DeliveredIds ids = new DeliveredIds(null, "state", Duration.ofDays(7), clock);
        ids.apply(DeliveredIds.key("legacy"), """
                {"commandId":"legacy","status":"DELIVERED","timestamp":"2020-01-01T00:00:00Z"}""".getBytes(StandardCharsets.UTF_8));
        ids.apply("lectronz.message:default.abc:17", "2026|2026|customer_order_message|0|1".getBytes(StandardCharsets.UTF_8));
        assertTrue(ids.contains("legacy"));
        assertEquals(1, ids.size(), "inbound keys are not delivered ids");
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertFalse(ids.contains("legacy"));
    }

    /** The latest value per key of the delivered-ids partition (empty for a tombstone). */
    static Map<String, Optional<byte[]>> latest(KafkaClients clients, String topic) {
        Map<String, Optional<byte[]>> latest = new HashMap<>();
        TopicPartition tp = new TopicPartition(topic, DeliveredIds.PARTITION);
        try (KafkaConsumer<String, byte[]> c = clients.consumer("delivered-ids-reader", null)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), Optional.ofNullable(r.value()));
                }
            }
        }
        return latest;
    }
}
