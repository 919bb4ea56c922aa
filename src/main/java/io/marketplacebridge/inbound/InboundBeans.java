package io.marketplacebridge.inbound;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.CamelContext;

/** Binds the inbound half's beans. STUB: the inbound issue completes this. */
public final class InboundBeans {

    private InboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics) {
        // nothing yet
    }
}
