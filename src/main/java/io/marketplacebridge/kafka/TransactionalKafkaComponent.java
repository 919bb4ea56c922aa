package io.marketplacebridge.kafka;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code kafka-tx:<topic>?groupId=...}: consumes a topic and completes each record in a Kafka transaction that
 * holds what the route wrote for it and the consumer offsets (consume-transform-produce, KIP-447).
 * <p>
 * Why the project has its own component: camel-kafka 4.18 cannot send consumer offsets within a producer
 * transaction (CAMEL-24781 is an open draft), and its batch commit would send a finished command again when a
 * slow neighbour is retried, the group rebalances or the instance stops. This component keeps one Kafka
 * consumer and one transactional producer on one poll thread, runs records concurrently (never two of one
 * key at once), and commits record by record: see {@link TransactionalKafkaConsumer} and {@link PartitionOffsets}.
 * Producing is not supported: routes write through {@link KafkaTx#RECORDS}.
 */
public final class TransactionalKafkaComponent extends DefaultComponent {

    public static final String SCHEME = "kafka-tx";

    private KafkaClients clients;

    public TransactionalKafkaComponent() {
    }

    public TransactionalKafkaComponent(KafkaClients clients) {
        this.clients = clients;
    }

    public KafkaClients getClients() {
        return clients;
    }

    public void setClients(KafkaClients clients) {
        this.clients = clients;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(SCHEME + " needs a topic: " + SCHEME + ":<topic>?groupId=<group>");
        }
        KafkaClients c = clients != null ? clients : getCamelContext().getRegistry().findSingleByType(KafkaClients.class);
        if (c == null) {
            throw new IllegalStateException(SCHEME + " needs a KafkaClients bean in the registry");
        }
        TransactionalKafkaEndpoint endpoint = new TransactionalKafkaEndpoint(uri, this, remaining, c);
        setProperties(endpoint, parameters);
        if (endpoint.getGroupId() == null || endpoint.getGroupId().isBlank()) {
            throw new IllegalArgumentException(SCHEME + ":" + remaining + " needs groupId");
        }
        return endpoint;
    }
}
