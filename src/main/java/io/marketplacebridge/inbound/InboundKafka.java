package io.marketplacebridge.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaTransactions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of the inbound sync: one transactional producer whose transactions carry the message
 * records and the state records together, and the state restored from the compacted state topic.
 * <p>
 * {@link #open()} calls initTransactions() first: that fences any older producer with the same
 * transactional.id (a zombie, or another instance) and completes its open transaction, so the state read
 * afterwards with read_committed is exactly what is on the inbound topics.
 */
final class InboundKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboundKafka.class);
    static final String STATE_KEY_PREFIX = "lectronz.message:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the state remembers per message id. */
    record Entry(String updatedAt, String createdAt, String type, boolean unread) {
    }

    private final KafkaClients clients;
    private final BridgeSettings.Topics topics;
    private final String transactionalId;
    private final String source;
    private KafkaProducer<String, byte[]> producer;

    InboundKafka(KafkaClients clients, BridgeSettings.Topics topics, String transactionalId, String source) {
        this.clients = clients;
        this.topics = topics;
        this.transactionalId = transactionalId;
        this.source = source;
    }

    /** Fences any other writer, then reads the whole state topic. */
    Map<Long, Entry> open() {
        producer = clients.transactionalProducer(transactionalId + "-producer", transactionalId);
        try {
            producer.initTransactions();
            return restore();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Map<Long, Entry> restore() {
        Map<Long, Entry> state = new HashMap<>();
        TopicPartition tp = new TopicPartition(topics.state(), 0);
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(transactionalId + "-restore", null)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read the state topic " + topics.state() + " to its end in time");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(state, r.key(), r.value());
                }
            }
        }
        return state;
    }

    private static void apply(Map<Long, Entry> state, String key, byte[] value) {
        if (key == null || !key.startsWith(STATE_KEY_PREFIX)) {
            return; // other parts of the bridge share the topic
        }
        long id;
        try {
            id = Long.parseLong(key.substring(STATE_KEY_PREFIX.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (value == null) {
            state.remove(id);
            return;
        }
        try {
            JsonNode v = JSON.readTree(value);
            state.put(id, new Entry(v.path("updated_at").asText(), v.path("created_at").asText(null), v.path("type").asText(null),
                    v.path("unread").asBoolean(false)));
        } catch (Exception e) {
            LOG.warn("Ignoring an unreadable state record {}", key);
        }
    }

    /** One transaction: the records of the batch, oldest first, and their state records. */
    void write(List<InboundMessage> batch) {
        KafkaTransactions.commitOrAbort(producer, () -> {
            for (InboundMessage m : batch) {
                if (!m.malformed()) { // a malformed message stays unknown: the next scans fetch it again
                    producer.send(record(m));
                    producer.send(new ProducerRecord<>(topics.state(), 0, STATE_KEY_PREFIX + m.id(), stateValue(m)));
                }
            }
        });
    }

    ProducerRecord<String, byte[]> record(InboundMessage m) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", bytes("1.0"));
        h.add("ce_id", bytes("lectronz-message-" + m.id() + "-" + m.updatedAt()));
        h.add("ce_source", bytes(source));
        h.add("ce_type", bytes(m.created() ? "com.lectronz.message.created" : "com.lectronz.message.updated"));
        h.add("ce_time", bytes(m.updatedAt()));
        h.add("ce_subject", bytes("order/" + m.orderId()));
        h.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(topics.forMessageType(m.type()), null, m.orderId(), m.json(), h);
    }

    static Entry entry(InboundMessage m) {
        return new Entry(m.updatedAt(), m.createdAt(), m.type(), m.unread());
    }

    private static byte[] stateValue(InboundMessage m) {
        ObjectNode v = JSON.createObjectNode();
        v.put("updated_at", m.updatedAt());
        v.put("created_at", m.createdAt());
        v.put("type", m.type());
        v.put("order", m.orderId());
        v.put("unread", m.unread());
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the inbound producer: {}", e.toString());
            }
            producer = null;
        }
    }
}
