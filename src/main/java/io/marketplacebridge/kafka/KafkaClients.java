package io.marketplacebridge.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the Kafka clients the bridge owns (transactional producers, read_committed consumers, admin).
 * Every client gets the bootstrap servers plus any {@code kafka.client.*} property (security etc.).
 */
public final class KafkaClients {

    private final String bootstrapServers;
    private final Map<String, Object> common;

    /** @param extra client properties without the {@code kafka.client.} prefix, e.g. security.protocol */
    public KafkaClients(String bootstrapServers, Map<String, Object> extra) {
        this.bootstrapServers = bootstrapServers;
        this.common = new HashMap<>(extra);
        this.common.put("bootstrap.servers", bootstrapServers);
    }

    /**
     * Extra client properties: {@code kafka.client.<name>} from the properties files or -D, and
     * {@code KAFKA_CLIENT_<NAME>} from the environment ({@code KAFKA_CLIENT_SASL_JAAS_CONFIG} gives
     * {@code sasl.jaas.config}); the environment wins, as it does for every other setting.
     */
    public static Map<String, Object> extraProperties(Map<?, ?> properties, Map<String, String> env) {
        Map<String, Object> extra = new HashMap<>();
        properties.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (key.startsWith("kafka.client.") && v != null) {
                extra.put(key.substring("kafka.client.".length()), String.valueOf(v));
            }
        });
        env.forEach((k, v) -> {
            if (k.startsWith("KAFKA_CLIENT_") && v != null) {
                extra.put(k.substring("KAFKA_CLIENT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
            }
        });
        return extra;
    }

    /** The clients for these bootstrap servers with the {@code kafka.client.*} settings Camel's properties, -D and env give. */
    public static KafkaClients create(String bootstrapServers, org.apache.camel.spi.PropertiesComponent properties) {
        Map<Object, Object> clientProperties = new HashMap<>(properties.loadProperties(k -> k.startsWith("kafka.client.")));
        clientProperties.putAll(System.getProperties());
        return new KafkaClients(bootstrapServers, extraProperties(clientProperties, System.getenv()));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Common client properties (bootstrap + kafka.client.*), for camel-kafka endpoints too. */
    public Map<String, Object> common() {
        return Map.copyOf(common);
    }

    public Admin admin(String clientId) {
        Properties p = props(clientId);
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        return Admin.create(p);
    }

    /** A producer outside transactions: idempotent, acks=all. */
    public KafkaProducer<String, byte[]> idempotentProducer(String clientId, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        p.putAll(props(clientId));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A transactional producer: idempotent, acks=all; the caller calls initTransactions(). */
    public KafkaProducer<String, byte[]> transactionalProducer(String clientId, String transactionalId) {
        return transactionalProducer(clientId, transactionalId, java.time.Duration.ofSeconds(60));
    }

    /**
     * A transactional producer with its own transaction timeout: a short one means a transaction left open by
     * a killed process blocks read_committed readers (and the group's offset fetch) only that long.
     */
    public KafkaProducer<String, byte[]> transactionalProducer(String clientId, String transactionalId, java.time.Duration transactionTimeout) {
        return new KafkaProducer<>(transactionalProducerProperties(clientId, transactionalId, transactionTimeout),
                new StringSerializer(), new ByteArraySerializer());
    }

    Properties transactionalProducerProperties(String clientId, String transactionalId, java.time.Duration transactionTimeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // transactions back to back: the next one's first request retries quickly while the last one completes
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024));
        p.putAll(props(clientId)); // kafka.client.* may tune the defaults above (e.g. max.block.ms)...
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId); // ...never what exactly-once needs
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(transactionTimeout.toMillis()));
        return p;
    }

    /** A read_committed consumer that never commits by itself. */
    public KafkaConsumer<String, byte[]> consumer(String clientId, String groupId) {
        return consumer(clientId, groupId, Map.of());
    }

    /** A read_committed consumer that never commits by itself, with consumer properties of its own. */
    public KafkaConsumer<String, byte[]> consumer(String clientId, String groupId, Map<String, Object> overrides) {
        Properties p = props(clientId);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(overrides);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Properties props(String clientId) {
        Properties p = new Properties();
        p.putAll(common);
        p.put("client.id", clientId);
        return p;
    }
}
