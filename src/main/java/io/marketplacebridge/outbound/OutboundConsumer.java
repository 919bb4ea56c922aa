package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaTransactions;
import io.marketplacebridge.kafka.TopicInitializer;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes reply commands and publishes exactly one result per command record, with Kafka's
 * consume-transform-produce transactions: the results, the dead-letter copies, the delivered-id state
 * records and the consumer offsets of a batch are committed in one transaction (KIP-447 fencing through
 * the consumer's group metadata). A crash before the commit leaves no result and no offset, so the batch
 * is processed again (remote calls may repeat, results never do).
 * <p>
 * A polled batch is split into chains of one partition and key; chains run in parallel on at most
 * {@code bridge.outbound.concurrency} threads, the commands of one chain one after the other in offset
 * order. All Kafka client calls happen on this service's own thread.
 */
public final class OutboundConsumer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundConsumer.class);
    /** A batch stops taking new commands after this long, so the consumer stays in its group. */
    static final Duration BATCH_DEADLINE = Duration.ofSeconds(30);
    /** While a batch runs, its finished commands are committed this often, so results flow steadily. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(500);
    /**
     * Our transactions only span the commit of a finished batch (sends + offsets), so a short timeout is
     * plenty, and a transaction left open by a killed instance blocks readers for at most this long.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(15);
    /**
     * A killed instance's partitions move to the others once its session times out: 10 s instead of Kafka's 45 s.
     * A polled batch is at most 500 commands; the batch deadline keeps us well inside max.poll.interval.ms.
     */
    static final Map<String, Object> CONSUMER_PROPERTIES = Map.of(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    /** The DLQ topic is created to take 16 MiB records; a larger copy would block the stream, so it is cut. */
    static final int MAX_DLQ_VALUE_BYTES = TopicInitializer.DLQ_MAX_MESSAGE_BYTES - 64 * 1024;

    private final KafkaClients clients;
    private final TopicInitializer topicInitializer;
    private final DeliveredIds deliveredIds;
    private final CommandDelivery delivery;
    private final String commandTopic;
    private final String resultTopic;
    private final String dlqTopic;
    private final String stateTopic;
    private final String groupId;
    private final int concurrency;

    private volatile boolean stopping;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private ExecutorService workers;
    private Thread thread;

    public OutboundConsumer(KafkaClients clients, TopicInitializer topicInitializer, DeliveredIds deliveredIds,
                            CommandDelivery delivery, String commandTopic, String resultTopic, String dlqTopic,
                            String stateTopic, String groupId, int concurrency) {
        this.clients = clients;
        this.topicInitializer = topicInitializer;
        this.deliveredIds = deliveredIds;
        this.delivery = delivery;
        this.commandTopic = commandTopic;
        this.resultTopic = resultTopic;
        this.dlqTopic = dlqTopic;
        this.stateTopic = stateTopic;
        this.groupId = groupId;
        this.concurrency = concurrency;
    }

    @Override
    protected void doStart() {
        stopping = false;
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "outbound-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "outbound-consumer");
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(20).toMillis());
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        deliveredIds.close();
    }

    private void run() {
        if (!awaitReady()) {
            return;
        }
        long backoffMs = 500;
        while (!stopping) {
            try {
                consumeUntilError();
                backoffMs = 500;
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) {
                if (stopping) {
                    break;
                }
                LOG.warn("Outbound: Kafka session ended ({}); uncommitted commands will be processed again. Retrying in {} ms",
                        KafkaTransactions.rootMessage(e), backoffMs);
                sleepQuietly(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
        LOG.info("Outbound consumer stopped");
    }

    private boolean awaitReady() {
        while (!stopping) {
            try {
                topicInitializer.ready().get(1, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException e) {
                // keep waiting for Kafka
            } catch (InterruptedException e) {
                return false;
            } catch (ExecutionException e) {
                LOG.error("Outbound: topic set-up failed", e);
                return false;
            }
        }
        deliveredIds.start();
        while (!stopping) {
            try {
                deliveredIds.loaded().get(1, TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException e) {
                // still reading the state topic
            } catch (InterruptedException | ExecutionException e) {
                return false;
            }
        }
        return false;
    }

    /** One consumer-group session with one transactional producer; throws on any Kafka trouble. */
    private void consumeUntilError() {
        String transactionalId = "marketplace-bridge-outbound-" + UUID.randomUUID();
        KafkaConsumer<String, byte[]> c = clients.consumer("marketplace-bridge-outbound", groupId, CONSUMER_PROPERTIES);
        KafkaProducer<String, byte[]> producer = null;
        consumer = c;
        try {
            if (stopping) {
                return;
            }
            producer = clients.transactionalProducer("marketplace-bridge-outbound-results", transactionalId, TRANSACTION_TIMEOUT);
            producer.initTransactions();
            c.subscribe(List.of(commandTopic));
            LOG.info("Outbound: consuming {} as group {} (results to {}, dead letters to {})", commandTopic, groupId, resultTopic, dlqTopic);
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                processAndCommit(c, producer, records);
            }
        } finally {
            consumer = null;
            // bounded: with Kafka down, an unbounded close would hang this thread
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            c.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Runs the batch's key chains in parallel and, about every {@link #COMMIT_INTERVAL} while they run and once at
     * the end, commits the results finished so far; finally rewinds to the first command left unfinished.
     */
    private void processAndCommit(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                                  ConsumerRecords<String, byte[]> records) {
        Map<String, List<ConsumerRecord<String, byte[]>>> chains = new LinkedHashMap<>();
        int unkeyed = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            String chain = r.key() == null ? "\u0000unkeyed-" + unkeyed++ : r.partition() + "\u0000" + r.key();
            chains.computeIfAbsent(chain, k -> new ArrayList<>()).add(r);
        }
        Batch batch = new Batch(System.nanoTime() + BATCH_DEADLINE.toNanos(), new CountDownLatch(records.count()));
        for (List<ConsumerRecord<String, byte[]>> chain : chains.values()) {
            submit(batch, chain, 0);
        }
        Map<ConsumerRecord<String, byte[]>, CommandResult> results = batch.results();
        CountDownLatch finished = batch.finished();
        AtomicBoolean abandoned = batch.abandoned();
        Map<TopicPartition, Integer> committed = new HashMap<>();
        try {
            while (!finished.await(COMMIT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                commitFinished(c, producer, records, results, committed);
            }
            commitFinished(c, producer, records, results, committed);
        } catch (InterruptedException | RuntimeException e) {
            // the next session redoes this batch: let no chain of it run on beside the next one (key order)
            abandoned.set(true);
            awaitQuietly(finished);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
            throw (RuntimeException) e;
        }
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            int next = committed.getOrDefault(tp, 0);
            if (next < list.size()) {
                c.seek(tp, list.get(next).offset()); // left unfinished (stopping or deadline): next poll again
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One polled batch being delivered. */
    private record Batch(long deadline, CountDownLatch finished, AtomicBoolean abandoned,
                         Map<ConsumerRecord<String, byte[]>, CommandResult> results, Set<String> deliveredInBatch) {
        Batch(long deadline, CountDownLatch finished) {
            this(deadline, finished, new AtomicBoolean(), new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet());
        }
    }

    /**
     * Queues the command at {@code index} of a key chain; when it is done, the chain's next command goes to the
     * back of the queue. So commands of one key run one after the other, and the batch as a whole progresses
     * roughly in offset order, which lets the committed prefix of each partition advance steadily.
     */
    private void submit(Batch batch, List<ConsumerRecord<String, byte[]>> chain, int index) {
        try {
            workers.execute(() -> step(batch, chain, index));
        } catch (RuntimeException rejected) { // the workers are shutting down
            skip(batch, chain.size() - index);
        }
    }

    private void step(Batch batch, List<ConsumerRecord<String, byte[]>> chain, int index) {
        boolean goOn = false;
        try {
            if (!stopping && !batch.abandoned().get() && System.nanoTime() <= batch.deadline()) {
                ConsumerRecord<String, byte[]> r = chain.get(index);
                CommandResult result = delivery.deliver(r, id -> deliveredIds.contains(id) || batch.deliveredInBatch().contains(id));
                if (result != null) { // null: stopping, the rest of this chain waits for the next owner
                    if (result.status() == Status.DELIVERED) {
                        batch.deliveredInBatch().add(result.commandId());
                    }
                    batch.results().put(r, result);
                    goOn = true;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Outbound: unexpected failure while delivering a command", e);
        } finally {
            batch.finished().countDown();
        }
        if (goOn && index + 1 < chain.size()) {
            submit(batch, chain, index + 1);
        } else {
            skip(batch, chain.size() - index - 1);
        }
    }

    private static void skip(Batch batch, int commands) {
        for (int i = 0; i < commands; i++) {
            batch.finished().countDown();
        }
    }

    /**
     * Commits, per partition, the results of the commands from the last commit up to the first one without a
     * result, with the offset after it, in one transaction. {@code committed} holds per partition the index
     * of the first record not yet committed.
     */
    private void commitFinished(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                                ConsumerRecords<String, byte[]> records, Map<ConsumerRecord<String, byte[]>, CommandResult> results,
                                Map<TopicPartition, Integer> committed) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Integer> next = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> done = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            int i = committed.getOrDefault(tp, 0);
            while (i < list.size() && results.containsKey(list.get(i))) {
                done.add(list.get(i));
                offsets.put(tp, new OffsetAndMetadata(list.get(i).offset() + 1));
                i++;
            }
            next.put(tp, i);
        }
        if (done.isEmpty()) {
            return;
        }
        List<String> delivered = new ArrayList<>();
        KafkaTransactions.commitOrAbort(producer, () -> {
            for (ConsumerRecord<String, byte[]> r : done) {
                CommandResult result = results.get(r);
                producer.send(resultRecord(r, result));
                if (result.deadLetter()) {
                    producer.send(deadLetter(r, result));
                }
                if (result.status() == Status.DELIVERED && !result.commandId().equals(defaultId(r))) {
                    producer.send(deliveredIds.deliveredRecord(result.commandId(), java.time.Instant.now()));
                    delivered.add(result.commandId());
                }
            }
            producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
        });
        committed.putAll(next);
        delivered.forEach(deliveredIds::add);
    }

    static String defaultId(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "-" + r.offset();
    }

    private ProducerRecord<String, byte[]> resultRecord(ConsumerRecord<String, byte[]> command, CommandResult result) {
        Headers headers = new RecordHeaders();
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        Header correlation = command.headers().lastHeader("correlation-id");
        if (correlation != null) {
            headers.add("correlation-id", correlation.value());
        }
        return new ProducerRecord<>(resultTopic, null, command.key(), result.toBytes(), headers);
    }

    /** The command as it came (bytes and headers), plus what went wrong and where it came from. */
    ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> command, CommandResult result) {
        Set<String> ours = Set.of("error-code", "error-message", "source-topic", "source-partition", "source-offset");
        Headers headers = new RecordHeaders();
        for (Header h : command.headers()) {
            if (!ours.contains(h.key())) {
                headers.add(h);
            }
        }
        headers.add("error-code", utf8(result.code().name()));
        headers.add("error-message", utf8(result.message()));
        headers.add("source-topic", utf8(command.topic()));
        headers.add("source-partition", utf8(String.valueOf(command.partition())));
        headers.add("source-offset", utf8(String.valueOf(command.offset())));
        byte[] value = command.value();
        if (value != null && value.length > MAX_DLQ_VALUE_BYTES) {
            headers.add("error-original-bytes", utf8(String.valueOf(value.length)));
            value = null; // too large for a record: the source coordinates point at the original
        }
        return new ProducerRecord<>(dlqTopic, null, command.key(), value, headers);
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
