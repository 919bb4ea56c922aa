package io.marketplacebridge.observe;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.marketplacebridge.kafka.KafkaClients;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures {@code bridge_outbound_lag_records}: per outbound partition, the end offset minus the offset the
 * outbound consumer group committed, summed. Read from the broker, so every instance reports the group's
 * lag, not only its own share, and it keeps counting while no instance consumes.
 */
public final class OutboundLag extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundLag.class);
    private static final Duration EVERY = Duration.ofSeconds(10);

    private final CamelContext context;
    private final KafkaClients clients;
    private final BridgeMetrics metrics;
    private final String topic;
    private final String groupId;
    private ScheduledExecutorService scheduler;
    private Admin admin;

    public OutboundLag(CamelContext context, KafkaClients clients, BridgeMetrics metrics, String topic, String groupId) {
        this.context = context;
        this.clients = clients;
        this.metrics = metrics;
        this.topic = topic;
        this.groupId = groupId;
    }

    @Override
    protected void doStart() {
        admin = clients.admin("marketplace-bridge-outbound-lag");
        scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "outbound-lag");
        scheduler.scheduleWithFixedDelay(this::measureQuietly, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdownNow(scheduler);
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private void measureQuietly() {
        try {
            metrics.outboundLag(measure());
        } catch (Exception e) { // Kafka down: keep the last value; readiness reports Kafka
            LOG.debug("Outbound lag not measured: {}", e.toString());
        }
    }

    long measure() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }
}
