package io.marketplacebridge.operations;

import static io.marketplacebridge.operations.OpsKafka.header;
import static io.marketplacebridge.operations.OpsKafka.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code replay} against the real broker: inbound records in the format of SPEC section 4, written by a plain producer. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReplayTest {

    private static final String SINCE = "2026-11-22T00:00:00Z";

    @RegisterExtension
    final OpsKafka kafka = new OpsKafka();

    /** An inbound record as the bridge publishes it; {@code account} null: a record without the account header. */
    private void message(String topic, long id, long orderId, String type, String updatedAt, String account) throws Exception {
        String json = """
                {"id":%d,"content":"Where is my parcel?","type":"%s",
                 "subject":{"id":%d,"type":"order","link":"https://lectronz.com/orders/%d"},
                 "created_at":"2026-11-01T10:00:00Z","updated_at":"%s","read_at":null}""".formatted(id, type, orderId, orderId, updatedAt);
        Map<String, String> h = new HashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", "lectronz-message-" + id + "-" + updatedAt);
        h.put("ce_source", "https://lectronz.com/api/v1" + (account == null || account.equals("default") ? "" : "#" + account));
        h.put("ce_type", "com.lectronz.message.created");
        h.put("ce_time", updatedAt);
        h.put("ce_subject", "order/" + orderId);
        h.put("content-type", "application/json");
        if (account != null) {
            h.put("marketplace-account", account);
        }
        kafka.send(topic, null, null, String.valueOf(orderId), json, h);
    }

    /** Seven messages over the three topics, three accounts, before and after {@link #SINCE}, not in time order. */
    private void history() throws Exception {
        message(kafka.customer, 1, 10001, "customer_order_message", "2026-11-20T10:00:00Z", "shop-eu"); // too old
        message(kafka.customer, 2, 10001, "customer_order_message", "2026-11-25T12:00:00Z", "shop-eu");
        message(kafka.customer, 3, 10001, "customer_order_message", "2026-11-24T09:00:00Z", "shop-eu"); // older, later offset
        message(kafka.customer, 4, 10002, "customer_order_message", "2026-11-26T08:00:00Z", null); // account default
        message(kafka.customer, 5, 10003, "customer_order_message", "2026-11-26T08:00:00Z", "shop-mx");
        message(kafka.seller, 6, 10004, "seller_order_message", "2026-11-24T11:30:00+01:00", "shop-eu"); // 10:30Z
        message(kafka.refund, 7, 10005, "refund_order_message", "2026-11-23T08:00:00Z", "shop-eu");
    }

    private static List<String> ceIdsListed(String out) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("would  .* ce_id=(\\S+)").matcher(out);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void dryRunListsTheAccountsMessagesSinceTimeOldestFirstAndWritesNothing() throws Exception {
        history();

        OpsKafka.Run run = kafka.run("replay", "--account", "shop-eu", "--since", SINCE, "--dry-run");

        assertEquals(0, run.code(), run.err());
        System.out.println("sample replay --dry-run output:\n" + run.out());
        assertEquals(List.of("lectronz-message-7-2026-11-23T08:00:00Z", "lectronz-message-3-2026-11-24T09:00:00Z",
                "lectronz-message-6-2026-11-24T11:30:00+01:00", "lectronz-message-2-2026-11-25T12:00:00Z"), ceIdsListed(run.out()));
        assertTrue(run.out().contains("replay summary: scanned 7, matched 4, would replay 4, skipped 0, failed 0"), run.out());
        assertEquals(5, kafka.readAll(kafka.customer).size());
        assertEquals(1, kafka.readAll(kafka.seller).size());
        assertEquals(1, kafka.readAll(kafka.refund).size());
    }

    @Test
    void republishesWithTheSameKeyValueAndHeadersPlusCeReplayOldestFirst() throws Exception {
        history();
        List<ConsumerRecord<String, byte[]>> originals = kafka.readAll(kafka.customer);

        OpsKafka.Run run = kafka.run("replay", "--account", "shop-eu", "--since", SINCE);

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("matched 4, replayed 4, skipped 0, failed 0"), run.out());
        List<ConsumerRecord<String, byte[]>> customer = kafka.readAll(kafka.customer);
        List<ConsumerRecord<String, byte[]>> replays = customer.stream().filter(r -> "true".equals(header(r, "ce_replay"))).toList();
        // messages 3 and 2 share order 10001, so one partition: the older one first although it came later
        assertEquals(List.of("lectronz-message-3-2026-11-24T09:00:00Z", "lectronz-message-2-2026-11-25T12:00:00Z"),
                replays.stream().map(r -> header(r, "ce_id")).toList());
        for (ConsumerRecord<String, byte[]> replay : replays) {
            ConsumerRecord<String, byte[]> original = originals.stream()
                    .filter(o -> header(o, "ce_id").equals(header(replay, "ce_id"))).findFirst().orElseThrow();
            assertEquals(original.key(), replay.key());
            assertEquals(original.partition(), replay.partition());
            assertEquals(value(original), value(replay));
            for (String h : List.of("ce_specversion", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type",
                    "marketplace-account")) {
                assertEquals(header(original, h), header(replay, h), h);
            }
        }
        assertEquals(1, kafka.readAll(kafka.seller).stream().filter(r -> "true".equals(header(r, "ce_replay"))).count());
        assertEquals(1, kafka.readAll(kafka.refund).stream().filter(r -> "true".equals(header(r, "ce_replay"))).count());
        assertEquals(0, kafka.readAll(kafka.state).size(), "inbound state is not changed");
    }

    @Test
    void replaysAreNotReplayedAgain() throws Exception {
        history();
        assertEquals(0, kafka.run("replay", "--account", "shop-eu", "--since", SINCE).code());

        OpsKafka.Run second = kafka.run("replay", "--account", "shop-eu", "--since", SINCE);

        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("matched 8, replayed 4, skipped 4 (itself a replay: 4)"), second.out());
        int total = kafka.readAll(kafka.customer).size() + kafka.readAll(kafka.seller).size() + kafka.readAll(kafka.refund).size();
        assertEquals(7 + 4 + 4, total);
    }

    @Test
    void recordsWithoutAnAccountHeaderBelongToTheDefaultAccount() throws Exception {
        history();

        OpsKafka.Run run = kafka.run("replay", "--account", "default", "--since", "2026-11-26T08:00:00Z");

        assertEquals(0, run.code(), run.err());
        List<ConsumerRecord<String, byte[]>> replays = kafka.readAll(kafka.customer).stream()
                .filter(r -> "true".equals(header(r, "ce_replay"))).toList();
        assertEquals(List.of("10002"), replays.stream().map(ConsumerRecord::key).toList());
        assertNull(header(replays.get(0), "marketplace-account"), "headers as they were");
    }

    @Test
    void aDurationBackFromNowSelectsByMessageTime() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        message(kafka.customer, 11, 20001, "customer_order_message", now.minus(Duration.ofHours(3)).toString(), "shop-eu");
        message(kafka.customer, 12, 20002, "customer_order_message", now.minus(Duration.ofMinutes(10)).toString(), "shop-eu");

        OpsKafka.Run run = kafka.run("replay", "--account", "shop-eu", "--since", "1h");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("matched 1, replayed 1"), run.out());
        assertEquals(List.of("20002"), kafka.readAll(kafka.customer).stream()
                .filter(r -> "true".equals(header(r, "ce_replay"))).map(ConsumerRecord::key).toList());
    }

    @Test
    void aRecordWithoutAReadableCeTimeIsSkippedWithTheReason() throws Exception {
        message(kafka.customer, 21, 30001, "customer_order_message", "2026-11-25T12:00:00Z", "shop-eu");
        kafka.send(kafka.customer, null, null, "30002", """
                {"id":22,"type":"customer_order_message","subject":{"id":30002,"type":"order"}}""",
                Map.of("ce_id", "lectronz-message-22-yesterday", "ce_time", "yesterday", "marketplace-account", "shop-eu"));

        OpsKafka.Run run = kafka.run("replay", "--account", "shop-eu", "--since", SINCE);

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("matched 2, replayed 1, skipped 1 (no readable ce_time: 1)"), run.out());
    }
}
