package io.marketplacebridge.outbound;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.CamelContext;

/** Binds the outbound half's beans. STUB: the outbound issue completes this. */
public final class OutboundBeans {

    private OutboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics) {
        // nothing yet
    }
}
