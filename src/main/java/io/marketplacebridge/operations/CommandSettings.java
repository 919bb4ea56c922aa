package io.marketplacebridge.operations;

import java.util.Properties;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bridge's own settings for an operations command: the same properties files, profile, env and -D
 * overrides as Camel Main reads for the bridge, through {@link BridgeSettings}. The commands touch
 * Kafka only, so they load the settings as a bridge with both halves off would: no remote credential
 * is required.
 */
record CommandSettings(BridgeSettings settings, KafkaClients clients) {

    private static final java.util.Set<String> HALVES = java.util.Set.of("bridge.inbound.enabled", "bridge.outbound.enabled");

    static CommandSettings load(String profile, Properties overrides) {
        // built, never started (so nothing to stop): only for its properties component
        CamelContext context = new DefaultCamelContext();
        PropertiesComponent pc = context.getPropertiesComponent();
        // what Camel Main loads: the profile's file over application.properties (the first location that has a key wins)
        pc.setLocation("classpath:application-" + profile + ".properties;optional=true,"
                + "classpath:application.properties;optional=true");
        if (!overrides.isEmpty()) {
            pc.setOverrideProperties(overrides);
        }
        BridgeSettings settings = BridgeSettings.load(profile,
                key -> HALVES.contains(key) ? "false" : pc.resolveProperty(key).orElse(null));
        String bootstrap = settings.kafkaBootstrapServers();
        if (BridgeSettings.EMBEDDED.equals(bootstrap)) {
            // dev: the broker a running dev bridge embeds (BRIDGE_KAFKA_PORT)
            bootstrap = "localhost:" + settings.kafkaPort();
        }
        return new CommandSettings(settings, KafkaClients.create(bootstrap, pc));
    }
}
