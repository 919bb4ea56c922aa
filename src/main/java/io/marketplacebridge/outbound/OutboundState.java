package io.marketplacebridge.outbound;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What the outbound consumer waits for before it joins its group and again before it runs the records of
 * partitions it was given (the {@code readiness} of its {@code kafka-tx} endpoint): the topics exist and the state
 * topic's delivered ids and delivery receipts are read up to now, so the first DUPLICATE check knows every earlier
 * delivery and a record delivered by the partition's previous owner is not sent again. Stopping it stops tailing
 * the state topic.
 */
public final class OutboundState extends ServiceSupport implements Supplier<CompletionStage<?>> {

    private final TopicInitializer topics;
    private final DeliveredIds deliveredIds;

    public OutboundState(TopicInitializer topics, DeliveredIds deliveredIds) {
        this.topics = topics;
        this.deliveredIds = deliveredIds;
    }

    @Override
    public CompletionStage<?> get() {
        return topics.ready().thenCompose(ready -> {
            deliveredIds.start();
            return deliveredIds.caughtUp();
        });
    }

    @Override
    protected void doStop() {
        deliveredIds.close();
    }
}
