package io.marketplacebridge.operations;

import static io.marketplacebridge.operations.OpsKafka.header;
import static io.marketplacebridge.operations.OpsKafka.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code redrive} against the real broker: dead letters in the format of SPEC section 6, written by a plain producer. */
@ExtendWith(EmbeddedKafkaExtension.class)
class RedriveTest {

    private static final String REJECTED = """
            {"id":"reply-42","channel":"alephee","action":"send","orderId":900123,
             "content":"Your invoice is attached.","reason":"SEND_INVOICE_LINK","accountId":77}""";
    private static final String FAILED = """
            {"id":"reply-43","channel":"lectronz","orderId":10001,"content":"We shipped it today."}""";
    private static final String UNKNOWN_CHANNEL = """
            {"channel":"carrier-pigeon","orderId":10002,"content":"Coo."}""";

    @RegisterExtension
    final OpsKafka kafka = new OpsKafka();

    /** A dead letter as the bridge writes it: the command's bytes and headers, the error headers, CloudEvents headers. */
    private RecordMetadata deadLetter(long timestamp, String key, String command, String code, long sourceOffset,
                                      Map<String, String> commandHeaders) throws Exception {
        Map<String, String> h = new HashMap<>(commandHeaders);
        h.put("error-code", code);
        h.put("error-message", "what went wrong, in words");
        h.put("source-topic", kafka.outbound);
        h.put("source-partition", "1");
        h.put("source-offset", String.valueOf(sourceOffset));
        h.put("ce_specversion", "1.0");
        h.put("ce_id", "dead-letter-" + sourceOffset);
        h.put("ce_source", "marketplace-bridge");
        h.put("ce_type", "io.marketplacebridge.outbound.dead-letter");
        h.put("ce_time", Instant.ofEpochMilli(timestamp).toString());
        h.put("ce_subject", "reply-" + sourceOffset);
        h.put("content-type", "application/json");
        return kafka.send(kafka.dlq, 0, timestamp, key, command, h);
    }

    private RecordMetadata deadLetter(String key, String command, String code, long sourceOffset) throws Exception {
        return deadLetter(System.currentTimeMillis(), key, command, code, sourceOffset, Map.of());
    }

    private static String coordinates(RecordMetadata m) {
        return m.partition() + "-" + m.offset();
    }

    @Test
    void redrivesTheDeadLettersOfTheGivenCodesWithTheirOriginalKeyBytesAndHeaders() throws Exception {
        RecordMetadata rejected = deadLetter(System.currentTimeMillis(), "900123", REJECTED, "REMOTE_REJECTED", 7,
                Map.of("correlation-id", "ticket-1")); // the command's own header
        deadLetter("10002", UNKNOWN_CHANNEL, "UNKNOWN_CHANNEL", 8);
        RecordMetadata failed = deadLetter("10001", FAILED, "REMOTE_UNAVAILABLE", 9);

        OpsKafka.Run run = kafka.run("redrive", "--code", "REMOTE_REJECTED", "--code", "REMOTE_UNAVAILABLE");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("redrive summary: scanned 3, matched 2, redriven 2, skipped 0, failed 0"), run.out());
        List<ConsumerRecord<String, byte[]>> commands = kafka.readAll(kafka.outbound);
        assertEquals(2, commands.size());
        Map<String, ConsumerRecord<String, byte[]>> byKey = commands.stream().collect(Collectors.toMap(ConsumerRecord::key, r -> r));
        ConsumerRecord<String, byte[]> first = byKey.get("900123");
        assertEquals(REJECTED, value(first));
        assertEquals(coordinates(rejected), header(first, "redrive-of"));
        assertEquals("ticket-1", header(first, "correlation-id"));
        Set<String> names = StreamSupport.stream(first.headers().spliterator(), false)
                .map(Header::key).collect(Collectors.toSet());
        assertEquals(Set.of("correlation-id", "content-type", "redrive-of"), names, "the DLQ's own headers are dropped");
        ConsumerRecord<String, byte[]> second = byKey.get("10001");
        assertEquals(FAILED, value(second));
        assertEquals(coordinates(failed), header(second, "redrive-of"));
    }

    @Test
    void aDeadLetterIsRedrivenOnceUnlessAgain() throws Exception {
        RecordMetadata dl = deadLetter("10001", FAILED, "REMOTE_UNAVAILABLE", 9);

        assertEquals(0, kafka.run("redrive").code());
        OpsKafka.Run second = kafka.run("redrive");
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("matched 1, redriven 0, skipped 1 (already redriven: 1)"), second.out());
        assertEquals(1, kafka.readAll(kafka.outbound).size());
        assertTrue(kafka.readAll(kafka.state).stream().anyMatch(r -> r.key().equals(
                "redrive:" + kafka.dlq + ":" + coordinates(dl))), "the marker is on the state topic");

        OpsKafka.Run again = kafka.run("redrive", "--again");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("matched 1, redriven 1, skipped 0"), again.out());
        List<ConsumerRecord<String, byte[]>> commands = kafka.readAll(kafka.outbound);
        assertEquals(2, commands.size());
        commands.forEach(c -> assertEquals(coordinates(dl), header(c, "redrive-of")));
    }

    @Test
    void selectsByTheCommandsOwnIdOrItsDefaultId() throws Exception {
        deadLetter("900123", REJECTED, "REMOTE_REJECTED", 7); // id reply-42
        deadLetter("10001", FAILED, "REMOTE_REJECTED", 9); // id reply-43
        deadLetter("10002", UNKNOWN_CHANNEL, "UNKNOWN_CHANNEL", 11); // no id: <topic>-1-11
        deadLetter("10003", "not json at all", "MALFORMED_COMMAND", 12); // not JSON: <topic>-1-12

        OpsKafka.Run run = kafka.run("redrive", "--id", "reply-42", "--id", kafka.outbound + "-1-11",
                "--id=" + kafka.outbound + "-1-12");

        assertEquals(0, run.code(), run.err());
        assertEquals(Set.of("900123", "10002", "10003"),
                kafka.readAll(kafka.outbound).stream().map(ConsumerRecord::key).collect(Collectors.toSet()));
    }

    @Test
    void selectsDeadLettersWrittenSinceTime() throws Exception {
        long now = System.currentTimeMillis();
        deadLetter(now - Duration.ofDays(3).toMillis(), "10001", FAILED, "REMOTE_UNAVAILABLE", 1, Map.of());
        deadLetter(now - Duration.ofHours(1).toMillis(), "10002", UNKNOWN_CHANNEL, "UNKNOWN_CHANNEL", 2, Map.of());
        deadLetter(now, "900123", REJECTED, "REMOTE_REJECTED", 3, Map.of());

        OpsKafka.Run byDuration = kafka.run("redrive", "--since", "24h", "--dry-run");
        assertEquals(0, byDuration.code(), byDuration.err());
        assertTrue(byDuration.out().contains("matched 2, would redrive 2"), byDuration.out());

        String halfAnHourAgo = Instant.ofEpochMilli(now - Duration.ofMinutes(30).toMillis()).toString();
        OpsKafka.Run byTime = kafka.run("redrive", "--since", halfAnHourAgo, "--code", "REMOTE_REJECTED");
        assertEquals(0, byTime.code(), byTime.err());
        assertEquals(List.of("900123"), kafka.readAll(kafka.outbound).stream().map(ConsumerRecord::key).toList());
    }

    @Test
    void dryRunListsWhatWouldBeRedrivenAndWritesNothing() throws Exception {
        RecordMetadata a = deadLetter("900123", REJECTED, "REMOTE_REJECTED", 7);
        RecordMetadata b = deadLetter("10001", FAILED, "REMOTE_UNAVAILABLE", 9);
        kafka.send(kafka.dlq, 0, null, "10009", null, Map.of("error-code", "COMMAND_TOO_LARGE",
                "error-message", "The command is 20000000 bytes", "error-original-bytes", "20000000",
                "source-topic", kafka.outbound, "source-partition", "0", "source-offset", "4"));

        OpsKafka.Run run = kafka.run("redrive", "--dry-run");

        assertEquals(0, run.code(), run.err());
        System.out.println("sample redrive --dry-run output:\n" + run.out());
        assertTrue(run.out().contains("would  dlq " + coordinates(a) + "  id=reply-42  code=REMOTE_REJECTED  key=900123"), run.out());
        assertTrue(run.out().contains("would  dlq " + coordinates(b) + "  id=reply-43  code=REMOTE_UNAVAILABLE  key=10001"), run.out());
        assertTrue(run.out().contains("original value cut in the DLQ: 20000000 bytes; the original is at " + kafka.outbound + "-0-4"),
                run.out());
        assertTrue(run.out().contains("matched 3, would redrive 2, skipped 1 (original value cut in the DLQ: 1), failed 0"), run.out());
        assertEquals(0, kafka.readAll(kafka.outbound).size());
        assertEquals(0, kafka.readAll(kafka.state).size());

        OpsKafka.Run real = kafka.run("redrive");
        assertTrue(real.out().contains("redriven 2, skipped 1"), "a dry run leaves no marker:\n" + real.out());
    }

    @Test
    void aWriteTheBrokerRefusesMakesThePartlyDoneExitCodeAndLeavesNoMarker() throws Exception {
        OpsKafka small = new OpsKafka();
        small.create(Map.of(small.outbound, Map.of("max.message.bytes", "2000")));
        try {
            String big = """
                    {"id":"big-1","channel":"lectronz","orderId":10001,"content":"%s"}""".formatted("x".repeat(5000));
            small.send(small.dlq, 0, null, "10001", big, Map.of("error-code", "REMOTE_UNAVAILABLE",
                    "source-topic", small.outbound, "source-partition", "0", "source-offset", "1"));

            OpsKafka.Run run = small.run("redrive");

            assertEquals(1, run.code(), run.out());
            assertTrue(run.out().contains("redriven 0, skipped 0, failed 1"), run.out());
            assertTrue(run.err().contains("a write failed"), run.err());
            assertEquals(0, small.readAll(small.outbound).size());
            assertEquals(0, small.readAll(small.state).size(), "no marker: a later run tries it again");
        } finally {
            small.close();
        }
    }

    @Test
    void aRedrivenCommandThatFailsAgainIsRedrivenWithItsNewDeadLetterCoordinates() throws Exception {
        RecordMetadata again = deadLetter(System.currentTimeMillis(), "10001", FAILED, "REMOTE_UNAVAILABLE", 9,
                Map.of("redrive-of", "0-0")); // the copy of an earlier redrive, dead-lettered again
        assertEquals(0, kafka.run("redrive").code());
        ConsumerRecord<String, byte[]> command = kafka.readAll(kafka.outbound).get(0);
        assertEquals(coordinates(again), header(command, "redrive-of"));
        assertEquals(1, StreamSupport.stream(command.headers().headers("redrive-of").spliterator(), false).count());
        assertNull(header(command, "error-code"));
        assertArrayEquals(FAILED.getBytes(StandardCharsets.UTF_8), command.value());
    }

    @Test
    void aLongRunShowsProgressWritesInSeveralTransactionsAndJoinsNoConsumerGroup() throws Exception {
        int count = 2_500; // five transactions of 500
        for (int i = 0; i < count; i++) {
            kafka.send(kafka.dlq, i % 2, null, String.valueOf(10_000 + i), """
                    {"id":"bulk-%d","channel":"lectronz","orderId":%d,"content":"Thanks!"}""".formatted(i, 10_000 + i),
                    Map.of("error-code", "REMOTE_UNAVAILABLE", "source-topic", kafka.outbound,
                            "source-partition", "0", "source-offset", String.valueOf(i)));
        }
        Set<String> groupsBefore = kafka.consumerGroups();

        OpsKafka.Run run = kafka.run("redrive", "--code", "REMOTE_UNAVAILABLE");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("redrive: read 1000 dead letters, 1000 matched"), run.err());
        assertTrue(run.err().contains("redrive: read 2000 dead letters, 2000 matched"), run.err());
        assertTrue(run.out().contains("scanned 2500, matched 2500, redriven 2500, skipped 0, failed 0"), run.out());
        assertEquals(count, kafka.readAll(kafka.outbound).stream().map(r -> header(r, "redrive-of")).distinct().count());
        assertEquals(count, kafka.readAll(kafka.state).size());
        assertEquals(groupsBefore, kafka.consumerGroups(), "assign() only: no consumer group joined or created");
    }

    @Test
    void aMissingTopicStopsTheRunNamingItsSetting() {
        Properties wrong = kafka.settings();
        wrong.put("bridge.topic.outbound", kafka.prefix + ".no-such-topic");
        OpsKafka.Run run = kafka.run(wrong, "redrive", "--dry-run");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("topic " + kafka.prefix + ".no-such-topic does not exist (setting BRIDGE_TOPIC_OUTBOUND)"),
                run.err());
    }

    @Test
    void deadLettersOfAnAbortedTransactionAreNotRedriven() throws Exception {
        Map<String, Object> p = Map.of("bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers(),
                "transactional.id", kafka.prefix + "-aborting-writer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(kafka.dlq, 0, "10001", FAILED)).get();
            producer.abortTransaction();
        }
        deadLetter("900123", REJECTED, "REMOTE_REJECTED", 7);

        OpsKafka.Run run = kafka.run("redrive");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("scanned 1, matched 1, redriven 1"), run.out());
        assertEquals(List.of("900123"), kafka.readAll(kafka.outbound).stream().map(ConsumerRecord::key).toList());
    }
}
