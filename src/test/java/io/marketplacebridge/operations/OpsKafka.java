package io.marketplacebridge.operations;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The bridge's topics under a fresh prefix on the shared in-process broker, a plain producer for records in the
 * formats of SPEC sections 4 and 6, a read_committed reader, and the commands run in-process. As a JUnit extension
 * ({@code @RegisterExtension}) it creates its topics before each test.
 */
final class OpsKafka implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    final String prefix = "ops-" + System.nanoTime();
    final String customer = prefix + ".customer";
    final String seller = prefix + ".seller";
    final String refund = prefix + ".refund";
    final String outbound = prefix + ".outbound";
    final String results = prefix + ".results";
    final String dlq = prefix + ".dlq";
    final String state = prefix + ".state";

    private final Admin admin = Admin.create(Map.of("bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers()));
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            "bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers(), "acks", "all"),
            new StringSerializer(), new ByteArraySerializer());

    /** Creates the topics: two partitions each (the state topic one, compacted); {@code topicConfigs} per topic. */
    OpsKafka create(Map<String, Map<String, String>> topicConfigs) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : List.of(customer, seller, refund, outbound, results, dlq)) {
            topics.add(new NewTopic(t, 2, (short) 1).configs(topicConfigs.getOrDefault(t, Map.of())));
        }
        topics.add(new NewTopic(state, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        return this;
    }

    OpsKafka create() throws Exception {
        return create(Map.of());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        create();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** The settings overrides a bridge on these topics would have. */
    Properties settings() {
        Properties p = new Properties();
        p.put("kafka.bootstrap-servers", EmbeddedKafkaExtension.bootstrapServers());
        p.put("bridge.topic.customer-messages", customer);
        p.put("bridge.topic.seller-messages", seller);
        p.put("bridge.topic.refund-messages", refund);
        p.put("bridge.topic.outbound", outbound);
        p.put("bridge.topic.results", results);
        p.put("bridge.topic.dlq", dlq);
        p.put("bridge.topic.state", state);
        return p;
    }

    /** A bridge on these topics against the sandbox, both halves off (mutable: a test switches its half on). */
    Map<String, String> bridgeSettings(Sandbox sandbox) {
        Map<String, String> m = new HashMap<>();
        settings().forEach((k, v) -> m.put(k.toString(), v.toString()));
        m.put("bridge.inbound.enabled", "false");
        m.put("bridge.outbound.enabled", "false");
        m.put("bridge.outbound.group-id", prefix + ".group");
        m.put("lectronz.base-url", sandbox.lectronzBaseUrl());
        m.put("lectronz.api-token", SandboxOptions.DEFAULT_LECTRONZ_TOKEN);
        m.put("alephee.base-url", sandbox.alepheeBaseUrl());
        m.put("alephee.api-key", SandboxOptions.DEFAULT_ALEPHEE_API_KEY);
        m.put("alephee.account-id", SandboxOptions.DEFAULT_ALEPHEE_ACCOUNT_ID);
        return m;
    }

    record Run(int code, String out, String err) {
    }

    /** {@code java -jar marketplace-bridge.jar <args>} in-process, on these topics. */
    Run run(String... args) {
        return run(settings(), args);
    }

    Run run(Properties settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Operations.run("test", settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Arrays.asList(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    RecordMetadata send(String topic, Integer partition, Long timestamp, String key, String value, Map<String, String> headers)
            throws Exception {
        List<Header> h = new ArrayList<>();
        headers.forEach((k, v) -> h.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        return producer.send(new ProducerRecord<>(topic, partition, timestamp, key, bytes, h)).get(30, TimeUnit.SECONDS);
    }

    /** Every committed record of a topic, in offset order per partition. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    Set<String> consumerGroups() throws Exception {
        return admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                .map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
    }

    static String header(ConsumerRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String value(ConsumerRecord<String, byte[]> r) {
        return r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
