package io.marketplacebridge.inbound;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaLeaseClusterService;
import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Binds the inbound half's beans, used by routes/lectronz-inbound.yaml: {@code lectronzInbound}, and the Kafka
 * cluster service its {@code master:} endpoints lease the poller's leadership from.
 */
public final class InboundBeans {

    private InboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics)
            throws Exception {
        InboundSync sync = new InboundSync(context, settings, clients, topics);
        // bound either way, because the YAML routes name them; when inbound is off the routes do not start
        // (autoStartup: bridge.inbound.enabled) and neither the bean nor a lease starts: no threads, no Kafka clients
        context.getRegistry().bind("lectronzInbound", sync);
        context.addService(new KafkaLeaseClusterService(clients, settings.topics().state(), sync.transactionalId()),
                true, true);
        if (!settings.inboundEnabled()) {
            return;
        }
        HealthCheckRegistry.get(context).register(sync.healthCheck());
        // starts before the routes and stops after them
        context.addService(sync, true, true);
    }
}
