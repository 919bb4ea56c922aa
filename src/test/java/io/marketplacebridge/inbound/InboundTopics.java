package io.marketplacebridge.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test settings with unique topic names, and a read_committed reader of the three inbound topics, as a
 * downstream consumer would read them.
 */
public final class InboundTopics implements AutoCloseable {

    /** One record as a consumer sees it. */
    record Rec(String topic, int partition, long offset, String key, String value, Map<String, String> headers) {
        String ceId() {
            return headers.get("ce_id");
        }

        long messageId() {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).get("id").asLong();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final String prefix;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Rec> records = new ArrayList<>();

    InboundTopics(String bootstrap, String name) {
        this.prefix = name + "-" + System.nanoTime();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("group.id", prefix + "-reader");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(customer(), seller(), refund()));
    }

    String customer() {
        return prefix + ".customer";
    }

    String seller() {
        return prefix + ".seller";
    }

    String refund() {
        return prefix + ".refund";
    }

    /** Bridge settings for a test: these topics, fast polls, quick retries, outbound off. */
    Map<String, String> settings(String bootstrap, String lectronzBaseUrl) {
        return settings(bootstrap, lectronzBaseUrl, prefix);
    }

    /** Bridge settings (mutable) with topics named {@code <prefix>.customer} etc.; also used by the benchmark. */
    public static Map<String, String> settings(String bootstrap, String lectronzBaseUrl, String prefix) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", bootstrap);
        s.put("kafka.topic.partitions", "3");
        for (String t : List.of("customer", "seller", "refund")) {
            s.put("bridge.topic." + t + "-messages", prefix + "." + t);
        }
        for (String t : List.of("outbound", "results", "dlq", "state")) {
            s.put("bridge.topic." + t, prefix + "." + t);
        }
        s.put("bridge.outbound.enabled", "false");
        s.put("lectronz.base-url", lectronzBaseUrl);
        s.put("lectronz.api-token", "sandbox-lectronz-token");
        s.put("lectronz.poll-interval", "300ms");
        s.put("lectronz.page-size", "20");
        s.put("lectronz.reconcile-interval", "1h");
        s.put("bridge.http.retry-delay", "50");
        s.put("bridge.http.max-retry-delay", "400");
        s.put("bridge.http.max-retries", "3");
        s.put("alephee.api-key", "unused");
        s.put("alephee.account-id", "77");
        return s;
    }

    /** Everything committed so far, in partition order per partition. */
    synchronized List<Rec> read() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            io.marketplacebridge.testing.Schemas.assertValidInbound(r.value());
            Map<String, String> h = new HashMap<>();
            for (Header header : r.headers()) {
                h.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            records.add(new Rec(r.topic(), r.partition(), r.offset(), r.key(),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), h));
        }
        return List.copyOf(records);
    }

    /**
     * Asserts each record's ce_id is unique and every (id, updated_at) the sandbox holds now is among them.
     * @return the records by ce_id
     */
    static Map<String, Rec> assertEveryVersionExactlyOnce(List<Rec> recs, List<io.marketplacebridge.sandbox.LectronzMessage> now) {
        Map<String, Rec> byCeId = new HashMap<>();
        for (Rec r : recs) {
            org.junit.jupiter.api.Assertions.assertNull(byCeId.put(r.ceId(), r), "published twice: " + r.ceId());
        }
        for (io.marketplacebridge.sandbox.LectronzMessage m : now) {
            org.junit.jupiter.api.Assertions.assertTrue(byCeId.containsKey(ceId(m)), "missing " + ceId(m));
        }
        return byCeId;
    }

    /**
     * Waits until the in-process bridge has completed {@code n} more polls: whatever a poll running now would
     * publish (a late duplicate) is then on the topics.
     */
    static void awaitPolls(org.apache.camel.CamelContext bridge, int n) {
        org.apache.camel.builder.NotifyBuilder polls = new org.apache.camel.builder.NotifyBuilder(bridge)
                .fromRoute("lectronz-inbound-poll-*").whenCompleted(n).create();
        org.awaitility.Awaitility.await(n + " more polls").atMost(Duration.ofSeconds(30)).until(polls::matches);
    }

    /**
     * For a bridge in another JVM: waits until Lectronz saw {@code n} more list calls. Once everything is
     * published a poll makes one list call, and polls run one after another, so the poll that was running has
     * finished its transactions when the next one lists.
     */
    static void awaitListCalls(io.marketplacebridge.sandbox.Sandbox sandbox, int n) {
        long before = sandbox.calls(io.marketplacebridge.sandbox.Endpoint.LECTRONZ_LIST);
        org.awaitility.Awaitility.await(n + " more list calls").atMost(Duration.ofSeconds(30))
                .until(() -> sandbox.calls(io.marketplacebridge.sandbox.Endpoint.LECTRONZ_LIST) >= before + n);
    }

    static String ceId(io.marketplacebridge.sandbox.LectronzMessage m) {
        return "lectronz-message-" + m.id() + "-" + m.updatedAtText();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
