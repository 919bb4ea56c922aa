package io.marketplacebridge.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.config.Accounts;
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
public final class InboundKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboundKafka.class);
    /** The header naming the account a record comes from (SPEC section 4). */
    static final String ACCOUNT_HEADER = "marketplace-account";
    /** The state keys of the version before accounts: {@code lectronz.message:<id>}. */
    static final String LEGACY_PREFIX = "lectronz.message:";
    private static final ObjectMapper LEGACY_JSON = new ObjectMapper();

    /** What the state remembers per message id. */
    public record Entry(String updatedAt, String createdAt, String type, boolean unread) {
    }

    private final KafkaClients clients;
    private final BridgeSettings.Topics topics;
    /**
     * Large fetches: a restore reads one partition from start to end as fast as it can. A short fetch wait: at the
     * end of the partition the consumer's next fetch waits that long at the broker for new records, and closing
     * the consumer waits for that fetch (the default 500 ms delayed every restore).
     */
    static final Map<String, Object> RESTORE = Map.of("max.poll.records", "10000",
            "max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024), "fetch.max.bytes", String.valueOf(32 * 1024 * 1024),
            "fetch.max.wait.ms", "10");

    private final InboundAccount account;
    private final String transactionalId;
    private final String keyPrefix;
    private KafkaProducer<String, byte[]> producer;
    private int statePartition;

    public InboundKafka(KafkaClients clients, BridgeSettings.Topics topics, InboundAccount account) {
        this.clients = clients;
        this.topics = topics;
        this.account = account;
        this.transactionalId = account.transactionalId();
        this.keyPrefix = account.stateKeyPrefix();
    }

    /** Fences any other writer, then reads this store's state (its partition of the state topic). */
    public Map<Long, Entry> open() {
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
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(transactionalId + "-restore", null, RESTORE)) {
            int partitions = consumer.partitionsFor(topics.state(), Duration.ofSeconds(30)).size();
            statePartition = account.statePartition(partitions);
            // a state topic of an older version (one partition) holds the one store's state under legacy keys
            boolean legacy = partitions == 1 && Accounts.DEFAULT.equals(account.name());
            TopicPartition tp = new TopicPartition(topics.state(), statePartition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read the state topic " + topics.state() + " to its end in time");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(state, keyPrefix, r.key(), r.value());
                    if (legacy) {
                        applyLegacy(state, r.key(), r.value());
                    }
                }
            }
        }
        return state;
    }

    static void apply(Map<Long, Entry> state, String keyPrefix, String key, byte[] value) {
        if (key == null || !key.startsWith(keyPrefix)) {
            return; // other stores and other parts of the bridge may share the partition
        }
        long id;
        try {
            id = Long.parseLong(key.substring(keyPrefix.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (value == null) {
            state.remove(id);
            return;
        }
        Entry entry = entryOf(value);
        if (entry == null) {
            LOG.warn("Ignoring an unreadable state record {}", key);
        } else {
            state.put(id, entry);
        }
    }

    /**
     * A state record of a version before accounts ({@code lectronz.message:<id>}, JSON value): that version served
     * one store, the one the account {@code default} continues, so an upgrade publishes no history again. Newer
     * records of the same id come later in the partition and win.
     */
    static void applyLegacy(Map<Long, Entry> state, String key, byte[] value) {
        if (key == null || !key.startsWith(LEGACY_PREFIX) || !key.substring(LEGACY_PREFIX.length()).matches("\\d{1,18}")) {
            return;
        }
        long id = Long.parseLong(key.substring(LEGACY_PREFIX.length()));
        if (value == null) {
            state.remove(id);
            return;
        }
        try {
            JsonNode v = LEGACY_JSON.readTree(value);
            state.put(id, new Entry(v.path("updated_at").asText(), v.path("created_at").asText(null),
                    v.path("type").asText(null), v.path("unread").asBoolean(false)));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Ignoring an unreadable state record {}", key);
        }
    }

    /** One transaction: the records of the batch, oldest first, and their state records. */
    void write(List<InboundMessage> batch) {
        KafkaTransactions.commitOrAbort(producer, () -> {
            for (InboundMessage m : batch) {
                if (!m.malformed()) { // a malformed message stays unknown: the next scans fetch it again
                    producer.send(record(m));
                    producer.send(new ProducerRecord<>(topics.state(), statePartition, keyPrefix + m.id(), stateValue(m)));
                }
            }
        });
    }

    ProducerRecord<String, byte[]> record(InboundMessage m) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", bytes("1.0"));
        h.add("ce_id", bytes("lectronz-message-" + m.id() + "-" + m.updatedAt()));
        h.add("ce_source", bytes(account.ceSource()));
        h.add("ce_type", bytes(m.created() ? "com.lectronz.message.created" : "com.lectronz.message.updated"));
        h.add("ce_time", bytes(m.updatedAt()));
        h.add("ce_subject", bytes("order/" + m.orderId()));
        h.add("content-type", bytes("application/json"));
        h.add(ACCOUNT_HEADER, bytes(account.name()));
        return new ProducerRecord<>(topics.forMessageType(m.type()), null, m.orderId(), m.json(), h);
    }

    static Entry entry(InboundMessage m) {
        return new Entry(m.updatedAt(), m.createdAt(), m.type(), m.unread());
    }

    /**
     * The state of one message, small and quick to read back (a million are restored in seconds): the fields
     * joined by {@code |}, which none of them contains: {@code updated_at|created_at|type|unread(0/1)|order id}.
     */
    public static byte[] stateValue(InboundMessage m) {
        return String.join("|", m.updatedAt(), nullToEmpty(m.createdAt()), nullToEmpty(m.type()),
                m.unread() ? "1" : "0", nullToEmpty(m.orderId())).getBytes(StandardCharsets.UTF_8);
    }

    static Entry entryOf(byte[] value) {
        String[] f = new String(value, StandardCharsets.UTF_8).split("\\|", -1);
        if (f.length < 4 || f[0].isEmpty()) {
            return null;
        }
        return new Entry(f[0], f[1].isEmpty() ? null : f[1], f[2].isEmpty() ? null : f[2], "1".equals(f[3]));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
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
