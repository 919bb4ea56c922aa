package io.marketplacebridge;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.config.InvalidSettingsException;
import io.marketplacebridge.demo.DemoHelpdeskRoute;
import io.marketplacebridge.http.RemoteApiBeans;
import io.marketplacebridge.inbound.InboundBeans;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaHealthCheck;
import io.marketplacebridge.kafka.TopicInitializer;
import io.marketplacebridge.outbound.OutboundBeans;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and checks the settings, starts the dev stand-ins, and binds the bridge's beans. */
public class BridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);
    private static volatile String startupFailure;

    /** The settings problem that stopped the last start, for Main's exit code; null when none. */
    static String startupFailure() {
        return startupFailure;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        String profile = context.getCamelContextExtension().getProfile();
        PropertiesComponent pc = context.getPropertiesComponent();
        BridgeSettings settings;
        DevEnvironment dev = new DevEnvironment();
        try {
            settings = BridgeSettings.load(profile, key -> pc.resolveProperty(key).orElse(null));
            settings = dev.start(context, settings);
        } catch (InvalidSettingsException e) {
            startupFailure = e.getMessage();
            LOG.error(e.getMessage());
            throw e;
        }
        // stops after the routes, so consumers close against a live broker
        context.addService(dev, true, true);

        KafkaClients clients = KafkaClients.create(settings.kafkaBootstrapServers(), pc);
        TopicInitializer topics = new TopicInitializer(clients, settings);
        KafkaHealthCheck kafkaHealth = new KafkaHealthCheck(clients);

        context.getRegistry().bind("settings", settings);
        context.getRegistry().bind("accounts", settings.accounts());
        context.getRegistry().bind("kafkaClients", clients);
        context.getRegistry().bind("topicInitializer", topics);
        RemoteApiBeans.bind(context, settings);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(kafkaHealth);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                topics.start();
            }

            @Override
            protected void doStop() {
                topics.stop();
                kafkaHealth.close();
            }
        }, true, true);

        InboundBeans.bind(context, settings, clients, topics);
        OutboundBeans.bind(context, settings, clients, topics);
        if (Boolean.parseBoolean(pc.resolveProperty("bridge.demo-helpdesk.enabled").orElse("false"))) {
            context.addRoutes(new DemoHelpdeskRoute(settings));
        }
        context.addStartupListener(new StartupBanner(settings, dev));
    }
}
