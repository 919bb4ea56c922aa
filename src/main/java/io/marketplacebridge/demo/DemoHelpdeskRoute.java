package io.marketplacebridge.demo;

import io.marketplacebridge.config.BridgeSettings;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/** Dev only: new buyer messages from Kafka in, demo reply commands out to the outbound topic. */
public final class DemoHelpdeskRoute extends RouteBuilder {

    private final BridgeSettings settings;

    public DemoHelpdeskRoute(BridgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configure() {
        String brokers = "brokers={{kafka.bootstrap-servers}}";
        from("kafka:" + settings.topics().customerMessages() + "?" + brokers
                + "&groupId=marketplace-bridge-demo-helpdesk&isolationLevel=read_committed"
                + "&autoOffsetReset=earliest&pollTimeoutMs=500")
                .routeId("demo-helpdesk")
                .filter(header("ce_type").convertToString().isEqualTo("com.lectronz.message.created"))
                .setProperty("correlationId", header("ce_id").convertToString())
                .setProperty("orderKey", header(KafkaConstants.KEY))
                .bean(new DemoHelpdesk(), "replyTo")
                // only what the command needs: no inbound headers travel on
                .removeHeaders("*")
                .setHeader(KafkaConstants.KEY, exchangeProperty("orderKey"))
                .setHeader("correlation-id", exchangeProperty("correlationId"))
                .to("kafka:" + settings.topics().outbound() + "?" + brokers)
                .log("demo helpdesk  reply to ${exchangeProperty.correlationId} (order ${exchangeProperty.orderKey}) -> "
                        + settings.topics().outbound());
    }
}
