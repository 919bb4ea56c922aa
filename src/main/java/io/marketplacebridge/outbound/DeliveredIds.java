package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.marketplacebridge.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command ids already DELIVERED, from the compacted state topic (key {@code outbound.delivered:<id>}).
 * Read fully at start and then tailed, so deliveries by other instances are seen too. The records are
 * written by the outbound route ({@link CommandCompletion}) in the same transaction as the DELIVERED result.
 */
public final class DeliveredIds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredIds.class);
    public static final String KEY_PREFIX = "outbound.delivered:";

    private final KafkaClients clients;
    private final TopicPartition partition;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public DeliveredIds(KafkaClients clients, String stateTopic) {
        this.clients = clients;
        this.partition = new TopicPartition(stateTopic, 0);
    }

    public static String key(String commandId) {
        return KEY_PREFIX + commandId;
    }

    /** The state record of a delivered id, written in the transaction of its DELIVERED result; kept tiny. */
    public ProducerRecord<String, byte[]> deliveredRecord(String commandId, Instant at) {
        byte[] value = ("{\"deliveredAt\":\"" + at.truncatedTo(ChronoUnit.MILLIS) + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(partition.topic(), key(commandId), value);
    }

    public boolean contains(String commandId) {
        return ids.contains(commandId);
    }

    /** Records an id this instance has just committed as delivered (the tail will confirm it). */
    public void add(String commandId) {
        ids.add(commandId);
    }

    /** Completes once everything on the state topic at start-up has been read. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::run, "outbound-delivered-ids");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void close() {
        stopped = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoffMs = 500;
        while (!stopped) {
            try (KafkaConsumer<String, byte[]> c = clients.consumer("marketplace-bridge-outbound-state", null)) {
                consumer = c;
                c.assign(List.of(partition));
                c.seekToBeginning(List.of(partition));
                long end = c.endOffsets(List.of(partition), Duration.ofSeconds(15)).get(partition);
                while (!stopped) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.key() != null && r.key().startsWith(KEY_PREFIX)) {
                            String id = r.key().substring(KEY_PREFIX.length());
                            if (r.value() == null) {
                                ids.remove(id);
                            } else {
                                ids.add(id);
                            }
                        }
                    }
                    if (!loaded.isDone() && c.position(partition) >= end) {
                        LOG.info("Outbound: {} delivered command ids loaded from {}", ids.size(), partition.topic());
                        loaded.complete(null);
                    }
                    backoffMs = 500;
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("Outbound: cannot read delivered ids from {} ({}); retrying in {} ms", partition.topic(), e.toString(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 30_000);
            } finally {
                consumer = null;
            }
        }
    }
}
