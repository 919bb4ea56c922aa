package io.marketplacebridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

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
}
