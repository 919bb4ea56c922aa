package io.marketplacebridge.kafka;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Readiness and liveness of the Kafka cluster the bridge writes to: a cheap describeCluster call. */
public final class KafkaHealthCheck extends AbstractHealthCheck implements AutoCloseable {

    private final KafkaClients clients;
    private Admin admin;

    public KafkaHealthCheck(KafkaClients clients) {
        super("marketplace-bridge", "kafka");
        this.clients = clients;
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("bootstrap.servers", clients.bootstrapServers());
        try {
            if (admin == null) {
                admin = clients.admin("marketplace-bridge-health");
            }
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                    .nodes().get(4, TimeUnit.SECONDS).size();
            builder.detail("nodes", nodes).up();
        } catch (Exception e) {
            builder.message("Kafka unreachable: " + KafkaTransactions.rootMessage(e)).down();
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
