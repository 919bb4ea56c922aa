package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Test side of the outbound topics: unique topic names, a producer of commands and read_committed readers
 * of results and dead letters, plus the bridge properties pointing at them and at a sandbox.
 */
public final class OutboundKafka implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    public final String prefix = "ob-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    public final String commands = prefix + "commands";
    public final String results = prefix + "results";
    public final String dlq = prefix + "dlq";
    public final String state = prefix + "state";
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> resultReader;
    private final KafkaConsumer<String, byte[]> dlqReader;
    private final List<ConsumerRecord<String, byte[]>> resultRecords = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> dlqRecords = new ArrayList<>();

    private final String bootstrap;
    private final java.util.concurrent.atomic.AtomicInteger unsent = new java.util.concurrent.atomic.AtomicInteger();

    public OutboundKafka() {
        this(EmbeddedKafkaExtension.bootstrapServers());
    }

    public OutboundKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "5");
        // one request at a time: a retried first batch (a broker slow at start) is then de-duplicated, never
        // "out of order" behind its successors
        p.put("max.in.flight.requests.per.connection", "1");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        // every result a test reads must match the published schema
        resultReader = reader((topic, value) -> {
            io.marketplacebridge.testing.Schemas.assertValidResult(value);
            return value;
        });
        dlqReader = reader(new ByteArrayDeserializer());
    }

    private KafkaConsumer<String, byte[]> reader(org.apache.kafka.common.serialization.Deserializer<byte[]> values) {
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("isolation.level", "read_committed");
        c.put("enable.auto.commit", "false");
        c.put("allow.auto.create.topics", "false");
        return new KafkaConsumer<>(c, new StringDeserializer(), values);
    }

    /** Bridge properties: outbound only, these topics, the sandbox, fast retries. */
    public Map<String, String> bridgeProperties(Sandbox sandbox) {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", bootstrap);
        m.put("kafka.topic.partitions", "3");
        m.put("bridge.inbound.enabled", "false");
        m.put("bridge.outbound.enabled", "true");
        m.put("lectronz.base-url", sandbox.lectronzBaseUrl());
        m.put("lectronz.api-token", SandboxOptions.DEFAULT_LECTRONZ_TOKEN);
        m.put("alephee.base-url", sandbox.alepheeBaseUrl());
        m.put("alephee.api-key", SandboxOptions.DEFAULT_ALEPHEE_API_KEY);
        m.put("alephee.account-id", SandboxOptions.DEFAULT_ALEPHEE_ACCOUNT_ID);
        m.put("bridge.topic.customer-messages", prefix + "in.customer");
        m.put("bridge.topic.seller-messages", prefix + "in.seller");
        m.put("bridge.topic.refund-messages", prefix + "in.refund");
        m.put("bridge.topic.outbound", commands);
        m.put("bridge.topic.results", results);
        m.put("bridge.topic.dlq", dlq);
        m.put("bridge.topic.state", state);
        m.put("bridge.outbound.group-id", prefix + "group");
        m.put("bridge.http.max-retries", "3");
        m.put("bridge.http.retry-delay", "100");
        m.put("bridge.http.max-retry-delay", "1000");
        return m;
    }

    /** Waits until the bridge has created its topics. */
    public void awaitTopics() {
        for (String t : List.of(commands, results, dlq, state)) {
            Awaitility.await("topic " + t).atMost(Duration.ofSeconds(60)).until(() -> !resultReader.partitionsFor(t).isEmpty());
        }
    }

    /** How many command records the bridge's consumer group has committed (sum of committed offsets). */
    public long committedCommands() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            return admin.listConsumerGroupOffsets(prefix + "group").partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
        }
    }

    /** The group's committed offsets with their metadata, and the end offsets (diagnostics). */
    public String committedOffsets() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            var committed = admin.listConsumerGroupOffsets(prefix + "group").partitionsToOffsetAndMetadata().get();
            var ends = admin.listOffsets(committed.keySet().stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                    tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            StringBuilder sb = new StringBuilder();
            committed.forEach((tp, o) -> sb.append(tp).append(" committed=").append(o).append(" end=").append(ends.get(tp).offset()).append('\n'));
            return sb.toString();
        }
    }

    public RecordMetadataView send(String key, String value, String... headers) {
        return send(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Sends a command; headers as name, value pairs. Returns where it landed. */
    public RecordMetadataView send(String key, byte[] value, String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        try {
            var md = producer.send(new ProducerRecord<>(commands, null, key, value, h)).get();
            return new RecordMetadataView(md.partition(), md.offset());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends without waiting (bulk loads); call {@link #flush()} after. */
    public void sendNoWait(String key, String value) {
        producer.send(new ProducerRecord<>(commands, key, value.getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
            if (e != null) {
                unsent.incrementAndGet();
            }
        });
    }

    /** Waits until every command sent is on Kafka; fails when one could not be written. */
    public void flush() {
        producer.flush();
        if (unsent.get() > 0) {
            throw new AssertionError(unsent.get() + " commands could not be written to " + commands);
        }
    }

    public record RecordMetadataView(int partition, long offset) {
        public String defaultId(String topic) {
            return topic + "-" + partition + "-" + offset;
        }
    }

    /** Every committed result so far (waits until at least {@code n}). */
    public synchronized List<ConsumerRecord<String, byte[]>> results(int n, Duration atMost) {
        drainUntil(resultReader, results, resultRecords, n, atMost);
        return List.copyOf(resultRecords);
    }

    public synchronized List<ConsumerRecord<String, byte[]>> deadLetters(int n, Duration atMost) {
        drainUntil(dlqReader, dlq, dlqRecords, n, atMost);
        return List.copyOf(dlqRecords);
    }

    /** The result whose source is the given record, waiting for it. */
    public JsonNode resultFor(RecordMetadataView sent) {
        Awaitility.await("result for " + sent).atMost(Duration.ofSeconds(60)).until(() -> find(sent) != null);
        return find(sent);
    }

    private synchronized JsonNode find(RecordMetadataView sent) {
        drainUntil(resultReader, results, resultRecords, 0, Duration.ZERO);
        for (ConsumerRecord<String, byte[]> r : resultRecords) {
            JsonNode n = json(r.value());
            if (n.get("source").get("partition").asInt() == sent.partition() && n.get("source").get("offset").asLong() == sent.offset()) {
                return n;
            }
        }
        return null;
    }

    /** Results per command record, keyed by the record's source "partition/offset". */
    public static Map<String, Long> resultsPerSource(List<ConsumerRecord<String, byte[]>> results) {
        return results.stream().map(r -> json(r.value()).get("source"))
                .collect(java.util.stream.Collectors.groupingBy(s -> s.get("partition").asText() + "/" + s.get("offset").asText(),
                        java.util.stream.Collectors.counting()));
    }

    public static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void drainUntil(KafkaConsumer<String, byte[]> reader, String topic, List<ConsumerRecord<String, byte[]>> into,
                                   int n, Duration atMost) {
        if (reader.assignment().isEmpty()) {
            List<TopicPartition> parts = new ArrayList<>();
            Awaitility.await("topic " + topic).atMost(Duration.ofSeconds(60))
                    .until(() -> !reader.partitionsFor(topic).isEmpty());
            reader.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
            reader.assign(parts);
            reader.seekToBeginning(parts);
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        do {
            reader.poll(Duration.ofMillis(200)).forEach(into::add);
        } while (into.size() < n && System.nanoTime() < deadline);
        if (into.size() < n) {
            throw new AssertionError("expected at least " + n + " records on " + topic + ", got " + into.size());
        }
    }

    @Override
    public void close() {
        producer.close();
        resultReader.close();
        dlqReader.close();
    }
}
