package io.marketplacebridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    @Test
    void extraClientPropertiesComeFromPropertiesAndEnvironment() {
        Map<String, Object> extra = KafkaClients.extraProperties(
                Map.of("kafka.client.security.protocol", "SSL", "kafka.client.ssl.truststore.location", "/a",
                        "lectronz.api-token", "not a client property"),
                Map.of("KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_CLIENT_SASL_JAAS_CONFIG", "x", "PATH", "/bin"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.location", "/a", "sasl.jaas.config", "x"), extra);
    }

    @Test
    void clientPropertiesTuneTheProducerDefaultsButNeverItsTransactionalGuarantees() {
        KafkaClients clients = new KafkaClients("localhost:9092", Map.of("max.block.ms", "3000", "linger.ms", "0",
                "enable.idempotence", "false", "acks", "1", "transactional.id", "theirs", "transaction.timeout.ms", "1"));
        Properties p = clients.transactionalProducerProperties("c", "ours", Duration.ofSeconds(60));
        assertEquals("3000", p.get("max.block.ms"));
        assertEquals("0", p.get("linger.ms"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("all", p.get("acks"));
        assertEquals("ours", p.get("transactional.id"));
        assertEquals("60000", p.get("transaction.timeout.ms"));
        assertEquals("30000", new KafkaClients("localhost:9092", Map.of())
                .transactionalProducerProperties("c", "ours", Duration.ofSeconds(60)).get("max.block.ms"));
    }
}
