package io.marketplacebridge.outbound;

import java.time.Clock;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.EventNotifierSupport;

/** Binds the outbound half: the delivery beans and the consumer service (when outbound is enabled). */
public final class OutboundBeans {

    /** Consumer group of the outbound consumers; a property so tests and parallel setups can isolate. */
    static final String GROUP_ID_KEY = "bridge.outbound.group-id";

    private OutboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics) {
        PropertiesComponent pc = context.getPropertiesComponent();
        if (!settings.outboundEnabled()) {
            return;
        }
        String groupId = pc.resolveProperty(GROUP_ID_KEY).orElse("marketplace-bridge-outbound");
        AlepheeRateGate gate = new AlepheeRateGate(Clock.systemUTC());
        AttachmentResolver attachments = new AttachmentResolver(settings.attachmentDir(), settings.attachmentHosts(),
                settings.attachmentMaxBytes(), AttachmentResolver.defaultClient(settings.httpConnectTimeout()),
                settings.httpResponseTimeout());
        CommandDelivery delivery = new CommandDelivery(
                new CommandValidator(settings.maxCommandBytes(), settings.accounts()),
                attachments, context.createProducerTemplate(), gate, settings.alephee().bodyFormat(),
                settings.alephee().apiKey(), Clock.systemUTC());
        DeliveredIds deliveredIds = new DeliveredIds(clients, settings.topics().state(), settings.outboundDedupRetention());
        OutboundConsumer consumer = new OutboundConsumer(clients, topics, deliveredIds, delivery,
                settings.topics().outbound(), settings.topics().results(), settings.topics().dlq(),
                settings.topics().state(), groupId, settings.outboundConcurrency());
        context.getRegistry().bind("alepheeRateGate", gate);
        HealthCheckRegistry.get(context).register(delivery.alepheeHealth());
        context.getRegistry().bind("outboundConsumer", consumer);
        // start once the delivery routes run; stop before Camel stops them, so no command fails for that reason
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    consumer.start();
                } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    consumer.stop();
                }
            }
        });
    }
}
