package io.marketplacebridge;

import io.marketplacebridge.config.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says loudly, once started, what runs where: a newcomer should not have to guess. */
final class StartupBanner implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("marketplace-bridge");

    private final BridgeSettings settings;
    private final DevEnvironment dev;

    StartupBanner(BridgeSettings settings, DevEnvironment dev) {
        this.settings = settings;
        this.dev = dev;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // wait for onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        BridgeSettings.Topics t = settings.topics();
        StringBuilder sb = new StringBuilder("\n");
        String line = "=".repeat(78);
        sb.append(line).append('\n');
        sb.append(" marketplace-bridge is running (profile ").append(settings.profile()).append(")\n");
        if (dev.broker() != null) {
            sb.append(" EMBEDDED Kafka broker : ").append(dev.broker().bootstrapServers())
                    .append("  (data in ").append(dev.broker().dataDir()).append(")\n");
        } else {
            sb.append(" Kafka                 : ").append(settings.kafkaBootstrapServers()).append('\n');
        }
        String sandboxNote = dev.sandbox() != null ? "   <- SANDBOX (fake API, demo data)" : "";
        sb.append(" Lectronz API          : ").append(settings.lectronz().baseUrl())
                .append(settings.lectronz().baseUrl().startsWith("http://localhost") ? sandboxNote : "").append('\n');
        sb.append(" Alephee API           : ").append(settings.alephee().baseUrl())
                .append(settings.alephee().baseUrl().startsWith("http://localhost") ? sandboxNote : "").append('\n');
        sb.append(" inbound               : ").append(settings.inboundEnabled() ? "on" : "off")
                .append(" -> ").append(t.customerMessages()).append(", ").append(t.sellerMessages())
                .append(", ").append(t.refundMessages()).append('\n');
        sb.append(" outbound              : ").append(settings.outboundEnabled() ? "on" : "off")
                .append(" <- ").append(t.outbound()).append(" -> ").append(t.results())
                .append(" (dead letters: ").append(t.dlq()).append(")\n");
        sb.append(" health / metrics      : http://localhost:").append(settings.httpPort()).append("/observe/health")
                .append("  /observe/metrics\n");
        if (dev.broker() != null) {
            sb.append(" try                   : kcat -b ").append(dev.broker().bootstrapServers()).append(" -C -t ")
                    .append(t.customerMessages()).append(" -e\n");
        }
        sb.append(line);
        LOG.info(sb.toString());
    }
}
