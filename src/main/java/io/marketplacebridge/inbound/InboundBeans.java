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
        if (!settings.inboundEnabled()) {
            return; // the inbound routes do not start either (autoStartup: bridge.inbound.enabled)
        }
        InboundSync sync = new InboundSync(context, settings, clients, topics);
        context.getRegistry().bind("lectronzInbound", sync);
        HealthCheckRegistry.get(context).register(sync.healthCheck());
        // starts before the routes and stops after them
        context.addService(sync, true, true);
    }
}
