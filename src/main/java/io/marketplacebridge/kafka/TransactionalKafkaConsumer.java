package io.marketplacebridge.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of {@code kafka-tx}. One thread owns the Kafka consumer and the transactional producer and makes
 * every Kafka client call; exchanges run on a pool of {@code concurrency} threads. When an exchange completes,
 * its thread frees the record's key and starts the next records that may start (so a slot never waits for a
 * commit), and hands the completion to the poll thread through a queue. Each poll-loop iteration: take
 * completions, commit them (their writes and the offsets, in one transaction), pause or resume partitions,
 * poll. The loop never blocks on a running exchange, so a record retried for minutes never makes the instance
 * leave its group. Records in flight plus records completed but not yet committed stay under
 * {@value #OUTSTANDING_PER_SLOT} times {@code concurrency}, which bounds the memory they hold and what a kill -9 can
 * make run again (the outbound route's delivery receipts keep the completed ones from reaching a remote twice).
 * Before records of newly assigned partitions run, the {@code readiness} is awaited again, so state that the
 * partitions' previous owner wrote is seen.
 * <p>
 * A completion whose commit fails is kept and committed again; its record never runs again. On revocation or
 * stop, records waiting for a retry are released ({@link KafkaTx#RELEASED}), records on the wire get
 * {@code drainTimeoutMs} to finish, and everything completed is committed before the partition goes.
 */
public final class TransactionalKafkaConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalKafkaConsumer.class);
    /** While records are in flight the loop waits for completions rather than inside poll. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    /** In flight plus completed-not-committed, per slot: room to keep the slots busy while a commit runs. */
    private static final int OUTSTANDING_PER_SLOT = 4;
    /** How long an assignment waits for the readiness before its records run anyway. */
    private static final Duration ASSIGNMENT_READINESS = Duration.ofSeconds(60);
    private static final int MAX_POLL_RECORDS = 500;
    /** Pause before the window reaches the metadata limit: one more poll may add this many. */
    private static final int WINDOW_PAUSE = PartitionOffsets.MAX_WINDOW - MAX_POLL_RECORDS;

    private final TransactionalKafkaEndpoint endpoint;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private ExecutorService workers;
    private Thread pollThread;

    // shared by the poll thread and the exchanges' threads, under lock
    private final Object lock = new Object();
    private final KeyScheduler scheduler = new KeyScheduler();
    private final Map<Exchange, Run> inFlight = new IdentityHashMap<>();
    private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();
    /** Completed records the poll thread holds and has not committed yet. */
    private volatile int awaitingCommit;

    // poll thread only
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private final List<Run> retries = new ArrayList<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private long nextCommitAttempt;

    /** How an exchange ended, decided on its own thread; the poll thread acts on it. */
    private enum Outcome { DONE, RETRY, GIVEN_BACK }

    private record Completion(Exchange exchange, Run run, Outcome outcome) {
    }

    /** One start of a record, tied to the partition state it was fetched under. */
    private record Run(ConsumerRecord<String, byte[]> record, PartitionOffsets owner, long notBefore) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    TransactionalKafkaConsumer(TransactionalKafkaEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        workers = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "kafka-tx-" + endpoint.getTopic(), endpoint.getConcurrency());
        pollThread = new Thread(this::run, "kafka-tx-poll-" + endpoint.getTopic());
        pollThread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (pollThread != null) {
            pollThread.join(endpoint.getDrainTimeoutMs() + 10_000);
            pollThread = null;
        }
        if (workers != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(workers);
            workers = null;
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        doStop(); // gives the partitions back to the group, as a stop does
    }

    @Override
    protected void doResume() throws Exception {
        doStart();
    }

    private void run() {
        if (!awaitReadiness()) {
            return;
        }
        long backoffMs = 500;
        while (running) {
            try {
                if (consumer == null) {
                    openConsumer();
                }
                if (producer == null) {
                    openProducer();
                }
                loopOnce();
                backoffMs = 500;
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("{}: Kafka trouble ({}); retrying in {} ms", endpoint.getTopic(), KafkaTransactions.rootMessage(e), backoffMs);
                closeConsumer(false);
                closeProducer();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
        try {
            if (consumer != null) {
                release(new ArrayList<>(partitions.keySet()), "stopping");
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not commit at stop ({}); the next owner runs what was not committed",
                    endpoint.getTopic(), KafkaTransactions.rootMessage(e));
        }
        closeConsumer(true);
        closeProducer();
        LOG.info("{}: consumer stopped", endpoint.getTopic());
    }

    private boolean awaitReadiness() {
        if (endpoint.getReadiness() == null) {
            return true;
        }
        CompletionStage<?> ready = endpoint.getReadiness().get();
        while (running) {
            try {
                ready.toCompletableFuture().get(1, TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException e) {
                // still waiting (Kafka unreachable, state loading)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                LOG.error("{}: not consuming, set-up failed", endpoint.getTopic(), e.getCause());
                return false;
            }
        }
        return false;
    }

    /** On assignment: the readiness once more (bounded), so what the previous owner wrote is seen first. */
    private void awaitReadinessFor(Collection<TopicPartition> assigned) {
        if (endpoint.getReadiness() == null) {
            return;
        }
        try {
            endpoint.getReadiness().get().toCompletableFuture().get(ASSIGNMENT_READINESS.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("{}: state not read up to now after {} ({}); running {} anyway", endpoint.getTopic(), ASSIGNMENT_READINESS,
                    e instanceof ExecutionException ? e.getCause() : "timed out", assigned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void openConsumer() {
        Map<String, Object> overrides = Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                // a killed instance's partitions move on after 10 s instead of Kafka's 45 s
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_POLL_RECORDS));
        consumer = endpoint.clients().consumer("kafka-tx-" + endpoint.getGroupId(), endpoint.getGroupId(), overrides);
        consumer.subscribe(List.of(endpoint.getTopic()), new Rebalance());
        LOG.info("{}: consuming as group {} ({} in flight at most)", endpoint.getTopic(), endpoint.getGroupId(), endpoint.getConcurrency());
    }

    private void openProducer() {
        KafkaProducer<String, byte[]> p = endpoint.clients().transactionalProducer("kafka-tx-" + endpoint.getGroupId() + "-writer",
                endpoint.getGroupId() + "-" + UUID.randomUUID(), Duration.ofMillis(endpoint.getTransactionTimeoutMs()));
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        producer = p;
    }

    private void loopOnce() {
        takeCompletions();
        startDueRetries();
        commit();
        synchronized (lock) {
            dispatch(); // commits free room under the outstanding bound
        }
        adjustPauses();
        Duration wait;
        boolean commitDue = producer != null && System.currentTimeMillis() >= nextCommitAttempt;
        if (commitDue && (!completions.isEmpty() || awaitingCommit > 0)) {
            // completions to commit: fetch what is there and commit them at once (not while a failed commit backs
            // off: the loop would spin while Kafka is down)
            wait = Duration.ZERO;
        } else if (inFlightCount() > 0 || !retries.isEmpty()) {
            wait = BUSY_POLL;
        } else {
            wait = Duration.ofMillis(endpoint.getPollTimeoutMs());
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(wait);
        synchronized (lock) {
            for (ConsumerRecord<String, byte[]> r : records) {
                PartitionOffsets offsets = partitions.get(new TopicPartition(r.topic(), r.partition()));
                if (offsets != null && offsets.fetched(r.offset())) {
                    scheduler.add(r);
                }
            }
            dispatch();
        }
    }

    private int inFlightCount() {
        synchronized (lock) {
            return inFlight.size();
        }
    }

    private void awaitCompletion(long ms) {
        try {
            Completion done = completions.poll(ms, TimeUnit.MILLISECONDS);
            if (done != null) {
                completed(done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void takeCompletions() {
        for (Completion done = completions.poll(); done != null; done = completions.poll()) {
            completed(done);
        }
        updateAwaitingCommit();
    }

    private void updateAwaitingCommit() {
        awaitingCommit = partitions.values().stream().mapToInt(PartitionOffsets::pendingCompletions).sum();
    }

    /**
     * Starts what may start, under {@link #lock}: at most {@code concurrency} in flight, and in flight plus
     * completed-not-committed under {@value #OUTSTANDING_PER_SLOT} times that.
     */
    private void dispatch() {
        int concurrency = endpoint.getConcurrency();
        while (running && inFlight.size() < concurrency
                && inFlight.size() + completions.size() + awaitingCommit < OUTSTANDING_PER_SLOT * concurrency) {
            ConsumerRecord<String, byte[]> r = scheduler.next();
            if (r == null) {
                return;
            }
            start(new Run(r, partitions.get(new TopicPartition(r.topic(), r.partition())), 0));
        }
    }

    private void startDueRetries() {
        long now = System.currentTimeMillis();
        synchronized (lock) {
            for (Iterator<Run> it = retries.iterator(); it.hasNext(); ) {
                Run run = it.next();
                if (run.notBefore() <= now && running) {
                    it.remove();
                    start(run);
                }
            }
        }
    }

    /** Under {@link #lock}. */
    private void start(Run run) {
        ConsumerRecord<String, byte[]> r = run.record();
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(r.value());
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, r.topic());
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, r.partition());
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, r.offset());
        exchange.getMessage().setHeader(KafkaConstants.KEY, r.key());
        exchange.getMessage().setHeader(KafkaConstants.TIMESTAMP, r.timestamp());
        for (Header h : r.headers()) {
            exchange.getMessage().setHeader(h.key(), h.value());
        }
        exchange.setProperty(KafkaTx.RECORD, r);
        inFlight.put(exchange, run);
        try {
            workers.execute(() -> getAsyncProcessor().process(exchange, doneSync -> ended(exchange)));
        } catch (RejectedExecutionException e) { // stopping
            inFlight.remove(exchange);
            scheduler.done(r);
            releaseExchange(exchange, false);
        }
    }

    /**
     * On the exchange's thread: frees its key (unless it runs again) and starts what may start now, then hands the
     * completion to the poll thread.
     */
    private void ended(Exchange exchange) {
        synchronized (lock) {
            Run run = inFlight.remove(exchange);
            if (run == null) {
                return;
            }
            boolean ours = partitions.get(run.partition()) == run.owner();
            boolean released = exchange.getProperty(KafkaTx.RELEASED, false, Boolean.class);
            Outcome outcome;
            if (exchange.getException() == null) {
                outcome = Outcome.DONE;
            } else {
                outcome = released || !ours ? Outcome.GIVEN_BACK : Outcome.RETRY;
            }
            if (outcome != Outcome.RETRY) {
                scheduler.done(run.record()); // a record that runs again keeps its key
            }
            completions.add(new Completion(exchange, run, outcome));
            dispatch();
        }
    }

    /** On the poll thread: a completed record's writes wait for the next commit; a failure runs again later. */
    private void completed(Completion c) {
        ConsumerRecord<String, byte[]> r = c.run().record();
        try {
            if (c.outcome() == Outcome.RETRY) {
                LOG.error("{}: record {}-{}@{} failed without a result; it runs again in {} ms", endpoint.getTopic(),
                        r.topic(), r.partition(), r.offset(), endpoint.getFailedRetryDelayMs(), c.exchange().getException());
                retries.add(new Run(r, c.run().owner(), System.currentTimeMillis() + endpoint.getFailedRetryDelayMs()));
            } else if (c.outcome() == Outcome.DONE) {
                if (partitions.get(c.run().partition()) != c.run().owner()) {
                    LOG.warn("{}: record {}-{}@{} finished after its partition moved; the new owner runs it again",
                            endpoint.getTopic(), r.topic(), r.partition(), r.offset());
                    return;
                }
                @SuppressWarnings("unchecked")
                List<ProducerRecord<String, byte[]>> writes = c.exchange().getProperty(KafkaTx.RECORDS, List.class);
                c.run().owner().completed(r.offset(), writes == null ? List.of() : writes);
            }
        } finally {
            releaseExchange(c.exchange(), false);
        }
    }

    /** Commits every completion not yet committed, with the offsets, in one transaction. */
    private void commit() {
        if (producer == null || System.currentTimeMillis() < nextCommitAttempt) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<ProducerRecord<String, byte[]>> writes = new ArrayList<>();
        partitions.forEach((tp, p) -> {
            OffsetAndMetadata o = p.toCommit();
            if (o != null) {
                offsets.put(tp, o);
                writes.addAll(p.pendingWrites());
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            // the offsets first: right after the previous commit the coordinator may still be finishing it, and
            // the producer retries AddOffsetsToTxn after retry.backoff.ms, where a first AddPartitionsToTxn would
            // wait a fixed 20 ms (KAFKA-5482)
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            for (ProducerRecord<String, byte[]> w : writes) {
                producer.send(w);
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | UnsupportedVersionException e) {
            LOG.warn("{}: producer unusable ({}); committing again with a new one", endpoint.getTopic(), KafkaTransactions.rootMessage(e));
            closeProducer();
            nextCommitAttempt = System.currentTimeMillis() + 500;
            return;
        } catch (KafkaException e) {
            LOG.warn("{}: commit failed ({}); the completed records are committed again", endpoint.getTopic(), KafkaTransactions.rootMessage(e));
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                closeProducer();
            }
            nextCommitAttempt = System.currentTimeMillis() + 500;
            return;
        }
        offsets.forEach((tp, o) -> partitions.get(tp).committed(o));
        updateAwaitingCommit();
    }

    private void adjustPauses() {
        for (Map.Entry<TopicPartition, PartitionOffsets> e : partitions.entrySet()) {
            TopicPartition tp = e.getKey();
            int buffered;
            synchronized (lock) {
                buffered = scheduler.buffered(tp);
            }
            boolean full = buffered >= endpoint.getMaxBuffered() || e.getValue().window() >= WINDOW_PAUSE;
            if (full && paused.add(tp)) {
                consumer.pause(List.of(tp));
            } else if (!full && paused.remove(tp)) {
                consumer.resume(List.of(tp));
            }
        }
    }

    /**
     * Gives partitions back: nothing more starts, records waiting for a retry are released, records on the wire
     * get {@code drainTimeoutMs} to finish, and every completion is committed.
     */
    private void release(Collection<TopicPartition> gone, String why) {
        if (gone.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (TopicPartition tp : gone) {
                scheduler.drop(tp);
            }
            retries.removeIf(run -> {
                boolean drop = gone.contains(run.partition());
                if (drop) {
                    scheduler.done(run.record());
                }
                return drop;
            });
            inFlight.forEach((exchange, run) -> {
                if (gone.contains(run.partition())) {
                    exchange.setProperty(KafkaTx.RELEASED, true);
                }
            });
        }
        long deadline = System.currentTimeMillis() + endpoint.getDrainTimeoutMs();
        while (runningIn(gone) > 0 && System.currentTimeMillis() < deadline) {
            awaitCompletion(50);
        }
        takeCompletions();
        long left = runningIn(gone);
        nextCommitAttempt = 0;
        commit();
        boolean uncommitted = gone.stream().map(partitions::get).anyMatch(p -> p != null && p.toCommit() != null);
        synchronized (lock) {
            for (TopicPartition tp : gone) {
                partitions.remove(tp);
                paused.remove(tp);
            }
        }
        updateAwaitingCommit();
        LOG.info("{}: {} {} ({} records still running were given back{})", endpoint.getTopic(), why, gone, left,
                uncommitted ? "; the last commit failed, the next owner runs the uncommitted records again" : "");
    }

    private long runningIn(Collection<TopicPartition> gone) {
        synchronized (lock) {
            return inFlight.values().stream().filter(run -> gone.contains(run.partition())).count();
        }
    }

    /** Partitions taken away without notice (session lost): nothing can be committed for them any more. */
    private void forget(Collection<TopicPartition> lost) {
        synchronized (lock) {
            for (TopicPartition tp : lost) {
                scheduler.drop(tp);
                partitions.remove(tp);
                paused.remove(tp);
            }
            for (Iterator<Run> it = retries.iterator(); it.hasNext(); ) {
                Run run = it.next();
                if (lost.contains(run.partition())) {
                    it.remove();
                    scheduler.done(run.record());
                }
            }
            inFlight.forEach((exchange, run) -> {
                if (lost.contains(run.partition())) {
                    exchange.setProperty(KafkaTx.RELEASED, true);
                }
            });
        }
        updateAwaitingCommit();
        LOG.warn("{}: partitions lost {}; their uncommitted records run again on the next owner", endpoint.getTopic(), lost);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            release(revoked, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned), Duration.ofSeconds(60));
            awaitReadinessFor(assigned);
            for (TopicPartition tp : assigned) {
                partitions.put(tp, new PartitionOffsets(committed.get(tp)));
            }
            LOG.info("{}: assigned {}", endpoint.getTopic(), assigned);
        }
    }

    private void closeConsumer(boolean graceful) {
        if (consumer == null) {
            return;
        }
        if (!graceful) {
            forget(new ArrayList<>(partitions.keySet()));
        }
        try {
            consumer.close(Duration.ofSeconds(5)); // bounded: with Kafka down an unbounded close hangs
        } catch (RuntimeException e) {
            LOG.debug("closing the consumer", e);
        }
        consumer = null;
        synchronized (lock) {
            partitions.clear();
        }
        paused.clear();
        updateAwaitingCommit();
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the producer", e);
            }
            producer = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
