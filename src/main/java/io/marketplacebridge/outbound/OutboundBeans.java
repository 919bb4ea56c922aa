package io.marketplacebridge.outbound;

import java.time.Clock;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.TopicInitializer;
import io.marketplacebridge.kafka.TransactionalKafkaComponent;
import io.marketplacebridge.observe.BridgeMetrics;
import io.marketplacebridge.observe.OutboundLag;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Binds what the outbound route ({@code routes/outbound.yaml}) refers to: the {@code kafka-tx} component and
 * the beans of its steps. The route itself starts only when outbound is enabled.
 */
public final class OutboundBeans {

    private OutboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics) throws Exception {
        Clock clock = Clock.systemUTC();
        context.addComponent(TransactionalKafkaComponent.SCHEME, new TransactionalKafkaComponent(clients));
        DeliveredIds deliveredIds = new DeliveredIds(clients, settings.topics().state(), settings.outboundDedupRetention());
        OutboundState state = new OutboundState(topics, deliveredIds);
        BridgeMetrics metrics = BridgeMetrics.of(context);
        AlepheeRateGate gate = new AlepheeRateGate(clock, metrics);
        AttachmentResolver attachments = AttachmentResolver.of(settings);
        LectronzDelivery lectronz = new LectronzDelivery(settings.accounts(), clock);
        AlepheeDelivery alephee = new AlepheeDelivery(attachments, gate, settings.alephee().bodyFormat(), settings.accounts(), clock);

        context.getRegistry().bind("outboundState", state);
        context.getRegistry().bind("commandIntake", new CommandIntake(
                new CommandValidator(settings.maxCommandBytes(), settings.accounts()), deliveredIds, clock));
        context.getRegistry().bind("lectronzDelivery", lectronz);
        context.getRegistry().bind("alepheeDelivery", alephee);
        context.getRegistry().bind("alepheeRateGate", gate);
        context.getRegistry().bind("deliveryReceipts", deliveredIds.receipts());
        context.getRegistry().bind("commandFailures", new CommandFailures(lectronz, alephee, clock));
        context.getRegistry().bind("commandCompletion", new CommandCompletion(deliveredIds, settings.topics().results(),
                settings.topics().dlq(), clock, metrics));
        context.addService(state, true, true);
        if (settings.outboundEnabled()) {
            HealthCheckRegistry.get(context).register(alephee.health());
            String groupId = context.getPropertiesComponent().parseUri("{{bridge.outbound.group-id}}");
            context.addService(new OutboundLag(context, clients, metrics, settings.topics().outbound(), groupId), true, true);
        }
    }
}
