package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipts of deliveries whose result is not committed yet. When a remote has accepted a command, its result goes to
 * the state topic (partition {@value DeliveredIds#PARTITION}, key {@code outbound.receipt:<topic>-<partition>-<offset>}
 * of the command record) before the command's slot frees, outside any transaction. The transaction that commits
 * the result and the offset writes the receipt's tombstone. After a kill -9 between the two, the next owner runs
 * the record again, finds the receipt and writes the result from it without calling the remote: only a command
 * that was still in flight at the kill can reach a remote twice (SPEC 7), however long commits take.
 * <p>
 * The receipts are read by the tail of {@link DeliveredIds}, which also forgets one left older than the retention.
 */
public final class DeliveryReceipts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceipts.class);
    static final String KEY_PREFIX = "outbound.receipt:";
    /** The route property set on a result written from a receipt: nothing is sent, no receipt is written again. */
    static final String REPLAYED = "outboundReplayed";
    /** How long a delivery waits for its receipt to be on Kafka before it completes without one. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private record Receipt(byte[] result, long at) {
    }

    private final KafkaClients clients;
    private final String topic;
    /** Source id ({@code <topic>-<partition>-<offset>}) to the receipt last read for it. */
    private final Map<String, Receipt> receipts = new ConcurrentHashMap<>();
    private KafkaProducer<String, byte[]> producer;

    DeliveryReceipts(KafkaClients clients, String stateTopic) {
        this.clients = clients;
        this.topic = stateTopic;
    }

    static String key(ConsumerRecord<?, ?> command) {
        return KEY_PREFIX + CommandDraft.defaultId(command);
    }

    /**
     * Route step after the remote call: a fresh DELIVERED result is written as the command's receipt, and the
     * exchange completes once it is on Kafka. If Kafka cannot take it in time the command completes anyway (its
     * result is committed as always); only a kill -9 before that commit would then send it again.
     */
    public void record(Exchange exchange) {
        CommandResult result = exchange.getProperty(CommandExchange.RESULT, CommandResult.class);
        if (result == null || result.status() != Status.DELIVERED || exchange.getProperty(REPLAYED, false, Boolean.class)) {
            return;
        }
        ConsumerRecord<String, byte[]> command = CommandIntake.record(exchange);
        try {
            producer().send(new ProducerRecord<>(topic, DeliveredIds.PARTITION, key(command), result.toBytes()))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("outbound {}: no delivery receipt on {} ({}); a kill -9 before its result is committed would send it again",
                    result.commandId(), topic, e instanceof ExecutionException ? e.getCause().toString() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The DELIVERED result a previous run of this very record left a receipt for, if any. */
    Optional<CommandResult> replay(ConsumerRecord<?, ?> command) {
        Receipt r = receipts.get(CommandDraft.defaultId(command));
        return r == null ? Optional.empty() : Optional.of(CommandResult.fromBytes(r.result()));
    }

    /** Written with the command's result and offset: the receipt is no longer needed. */
    ProducerRecord<String, byte[]> tombstone(ConsumerRecord<?, ?> command) {
        return new ProducerRecord<>(topic, DeliveredIds.PARTITION, key(command), null);
    }

    /** Applies a state record read by the tail; false when the key is not a receipt's. */
    boolean apply(String key, byte[] value, long timestamp) {
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            return false;
        }
        String source = key.substring(KEY_PREFIX.length());
        if (value == null) {
            receipts.remove(source);
        } else {
            receipts.put(source, new Receipt(value, timestamp));
        }
        return true;
    }

    /** Forgets receipts written before {@code before} (their records never ran again) and returns their keys. */
    List<String> forgetOlderThan(long before) {
        List<String> keys = new ArrayList<>();
        receipts.forEach((source, r) -> {
            if (r.at() < before && receipts.remove(source, r)) {
                keys.add(KEY_PREFIX + source);
            }
        });
        return keys;
    }

    int size() {
        return receipts.size();
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = clients.idempotentProducer("marketplace-bridge-outbound-receipts", 0);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
