package io.marketplacebridge.inbound;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/** Binds the inbound half's beans: {@code lectronzInbound}, used by routes/lectronz-inbound.yaml. */
public final class InboundBeans {

    private InboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics)
            throws Exception {
        InboundSync sync = new InboundSync(context, settings, clients, topics);
        // bound either way, because the YAML routes name it; when inbound is off they do not start
        // (autoStartup: bridge.inbound.enabled) and the bean is never started: no threads, no Kafka clients
        context.getRegistry().bind("lectronzInbound", sync);
        if (!settings.inboundEnabled()) {
            return;
        }
        HealthCheckRegistry.get(context).register(sync.healthCheck());
        // starts before the routes and stops after them
        context.addService(sync, true, true);
    }
}
