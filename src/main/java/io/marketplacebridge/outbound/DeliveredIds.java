package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.marketplacebridge.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command ids DELIVERED within the retention ({@code BRIDGE_OUTBOUND_DEDUP_RETENTION}), from partition
 * {@value #PARTITION} of the compacted state topic: key {@code outbound.delivered:<id>}, value the delivered-at
 * time in epoch milliseconds (a few bytes). The inbound stores keep their state in the other partitions, so
 * neither restore reads the other's records.
 * <p>
 * Read fully at start and then tailed, so deliveries by other instances are seen too. The records are written in
 * the same transaction as the DELIVERED result ({@link #deliveredRecord}). An id older than the retention is
 * forgotten: {@link #contains} says no at once, and a sweep writes its tombstone, so compaction removes it from
 * the topic and the state stays bounded by the deliveries of one retention period. The same partition holds the
 * {@link DeliveryReceipts} of deliveries not committed yet, which this tail reads too.
 */
public final class DeliveredIds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredIds.class);
    public static final String KEY_PREFIX = "outbound.delivered:";
    /** The state topic partition of the delivered ids. */
    public static final int PARTITION = 0;

    private final KafkaClients clients;
    private final TopicPartition partition;
    private final Duration retention;
    private final Clock clock;
    private final Duration sweepEvery;
    /** Command id to delivered-at (epoch ms). */
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    /** Ids read back already expired (tail thread only): the next sweep tombstones them. */
    private final List<String> expiredOnLoad = new ArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final DeliveryReceipts receipts;
    /** Callers of {@link #caughtUp} waiting for the tail thread to take their target. */
    private final Queue<CompletableFuture<Void>> catchUps = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public DeliveredIds(KafkaClients clients, String stateTopic, Duration retention) {
        this(clients, stateTopic, retention, Clock.systemUTC());
    }

    DeliveredIds(KafkaClients clients, String stateTopic, Duration retention, Clock clock) {
        this.clients = clients;
        this.partition = new TopicPartition(stateTopic, PARTITION);
        this.retention = retention;
        this.clock = clock;
        this.receipts = new DeliveryReceipts(clients, stateTopic);
        // often enough that the topic holds little beyond the retention, rarely enough to cost nothing
        long every = Math.max(1000, Math.min(retention.toMillis() / 10, Duration.ofHours(1).toMillis()));
        this.sweepEvery = Duration.ofMillis(every);
    }

    public static String key(String commandId) {
        return KEY_PREFIX + commandId;
    }

    /** True when the id was DELIVERED within the retention. */
    public boolean contains(String commandId) {
        Long at = ids.get(commandId);
        return at != null && !expired(at, clock.millis());
    }

    /** Records an id this instance has just committed as delivered (the tail will confirm it). */
    public void add(String commandId) {
        ids.put(commandId, clock.millis());
    }

    /** The state record to write in the same transaction as the DELIVERED result of the command. */
    public ProducerRecord<String, byte[]> deliveredRecord(String commandId, Instant at) {
        return new ProducerRecord<>(partition.topic(), PARTITION, key(commandId), encode(at.toEpochMilli()));
    }

    /** How many ids are remembered now (expired ones until the next sweep included). */
    public int size() {
        return ids.size();
    }

    /** The receipts of deliveries not committed yet, read from the same partition. */
    public DeliveryReceipts receipts() {
        return receipts;
    }

    /**
     * Completes once the tail has read everything written to the partition before this call, records of
     * transactions still open included once they end: what the outbound consumer waits for before it runs the
     * records of a partition it was given, so it sees the receipts of the instance that had them before.
     */
    public CompletableFuture<Void> caughtUp() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        catchUps.add(done);
        return done;
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
        receipts.close();
    }

    static byte[] encode(long epochMillis) {
        return Long.toString(epochMillis).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The delivered-at time of a state value; a value of an older version of the bridge (the whole result as JSON)
     * counts as delivered now, so it is remembered for one more retention and then forgotten.
     */
    static long decode(byte[] value, long now) {
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return now;
        }
    }

    private boolean expired(long deliveredAt, long now) {
        return deliveredAt < now - retention.toMillis();
    }

    /** Applies one state record (a delivery or a tombstone) of the partition. */
    void apply(String key, byte[] value) {
        apply(key, value, clock.millis());
    }

    private void apply(String key, byte[] value, long timestamp) {
        if (receipts.apply(key, value, timestamp) || key == null || !key.startsWith(KEY_PREFIX)) {
            return;
        }
        String id = key.substring(KEY_PREFIX.length());
        if (value == null) {
            ids.remove(id);
            return;
        }
        long now = clock.millis();
        long at = decode(value, now);
        if (expired(at, now)) {
            ids.remove(id); // read back after its retention: the next sweep writes the tombstone once more
            expiredOnLoad.add(id);
        } else {
            ids.merge(id, at, Math::max);
        }
    }

    /** Forgets the expired ids and writes their tombstones; returns how many. */
    int sweep(KafkaProducer<String, byte[]> producer) {
        long now = clock.millis();
        List<String> forgotten = new ArrayList<>(expiredOnLoad);
        expiredOnLoad.clear();
        ids.forEach((id, at) -> {
            if (expired(at, now) && ids.remove(id, at)) {
                forgotten.add(id);
            }
        });
        for (String id : forgotten) {
            producer.send(new ProducerRecord<>(partition.topic(), PARTITION, key(id), null));
        }
        List<String> receiptKeys = receipts.forgetOlderThan(now - retention.toMillis());
        for (String receiptKey : receiptKeys) {
            producer.send(new ProducerRecord<>(partition.topic(), PARTITION, receiptKey, null));
        }
        producer.flush();
        if (!forgotten.isEmpty()) {
            LOG.info("Outbound: forgot {} delivered command ids older than {} (tombstones on {})", forgotten.size(),
                    retention, partition.topic());
        }
        return forgotten.size();
    }


    private void run() {
        long backoffMs = 500;
        while (!stopped) {
            try (KafkaConsumer<String, byte[]> c = clients.consumer("marketplace-bridge-outbound-state", null,
                    Map.of("max.poll.records", "10000", "max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024),
                            "fetch.max.bytes", String.valueOf(32 * 1024 * 1024),
                            // a receipt and a tombstone per delivery: fetch them in tenths of a second, not one by one
                            "fetch.min.bytes", "65536", "fetch.max.wait.ms", "100"));
                 // its end offset counts records of open transactions too (the tail's own stops before them)
                 KafkaConsumer<String, byte[]> ends = clients.consumer("marketplace-bridge-outbound-state-end", null,
                         Map.of("isolation.level", "read_uncommitted"));
                 KafkaProducer<String, byte[]> tombstones = clients.idempotentProducer("marketplace-bridge-outbound-state-sweep", 20)) {
                consumer = c;
                c.assign(List.of(partition));
                c.seekToBeginning(List.of(partition));
                long end = c.endOffsets(List.of(partition), Duration.ofSeconds(15)).get(partition);
                long started = System.nanoTime();
                long nextSweep = 0;
                List<CompletableFuture<Void>> waiting = new ArrayList<>();
                long waitingFor = 0;
                while (!stopped) {
                    // briefly until loaded: a poll that finds nothing (an empty partition, or only the last transaction
                    // marker left) waits its whole timeout, which held back the outbound start by half a second
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(loaded.isDone() ? 100 : 20))) {
                        apply(r.key(), r.value(), r.timestamp());
                    }
                    if (!catchUps.isEmpty()) { // new callers: the target moves up to today's end for all who wait
                        for (CompletableFuture<Void> f = catchUps.poll(); f != null; f = catchUps.poll()) {
                            waiting.add(f);
                        }
                        waitingFor = ends.endOffsets(List.of(partition), Duration.ofSeconds(15)).get(partition);
                    }
                    if (!waiting.isEmpty() && c.position(partition) >= waitingFor) {
                        waiting.forEach(f -> f.complete(null));
                        waiting.clear();
                    }
                    if (!loaded.isDone() && c.position(partition) >= end) {
                        LOG.info("Outbound: {} delivered command ids loaded from {} in {} ms", ids.size(),
                                partition.topic(), (System.nanoTime() - started) / 1_000_000);
                        loaded.complete(null);
                    }
                    if (loaded.isDone() && System.nanoTime() >= nextSweep) {
                        sweep(tombstones);
                        nextSweep = System.nanoTime() + sweepEvery.toNanos();
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
