package io.marketplacebridge.inbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.http.RemoteApiHealthCheck;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaTransactions;
import io.marketplacebridge.kafka.TopicInitializer;
import io.marketplacebridge.observe.BridgeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half for one Lectronz account: the steps of the poll route routes/lectronz-inbound.yaml makes for
 * it, every poll interval: {@link #scan()} the list (a full walk every reconcile interval), {@link #publish} the
 * details of what is new or changed in batches, one Kafka transaction each (records + state), and
 * {@link #markAsRead} what is committed. One route per account, so runs never overlap; each step holds the
 * account's lock, which stopping waits for. Only the instance that leads the account's namespace
 * ({@link InboundAccount#leaseNamespace()}) polls: the routes run on camel-master's {@code master:} endpoint, and
 * this bean checks the same cluster view between transactions.
 */
public final class InboundSync extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("inbound");
    /** Messages per Kafka transaction. */
    static final int BATCH_SIZE = 250;
    /** Above this many messages in a batch, one INFO line per batch instead of one per message. */
    private static final int LOG_EACH_UP_TO = 50;

    private final CamelContext context;
    private final BridgeSettings settings;
    private final KafkaClients clients;
    private final TopicInitializer topics;
    private final InboundAccount account;
    private final RemoteApiHealthCheck health;
    private final ReentrantLock running = new ReentrantLock();
    private final Map<Long, InboundKafka.Entry> state = new HashMap<>();
    private final Set<Long> pendingMarks = new LinkedHashSet<>();
    /** Marked read: their new updated_at is fetched directly at the next poll, not left to the reconcile. */
    private final Set<Long> recheck = new LinkedHashSet<>();
    private final String transactionalId;
    private final AtomicLong httpCalls = new AtomicLong();
    private volatile boolean stopping;
    /** When the next scan walks the whole list (System.nanoTime()). */
    private long nextReconcile;
    private LectronzApi api;
    private ExecutorService fetchers;
    private CamelClusterView leadership;
    /** Set when this instance loses the leadership: the next run as leader re-reads the state from Kafka. */
    private volatile boolean standDown;
    private final CamelClusterEventListener.Leadership onLeadershipChange = (view, leader) -> {
        if (!view.getLocalMember().isLeader()) {
            standDown = true;
        }
    };
    private InboundKafka kafka;
    private Counter malformed;
    private BridgeMetrics metrics;
    private Counter kafkaFailures;

    public InboundSync(CamelContext context, BridgeSettings settings, InboundAccount account, KafkaClients clients,
                       TopicInitializer topics) {
        this.context = context;
        this.settings = settings;
        this.account = account;
        this.clients = clients;
        this.topics = topics;
        this.transactionalId = account.transactionalId();
        this.health = new RemoteApiHealthCheck(Accounts.DEFAULT.equals(account.name()) ? "lectronz"
                : "lectronz-" + account.name());
    }

    RemoteApiHealthCheck healthCheck() {
        return health;
    }

    @Override
    protected void doStart() throws Exception {
        nextReconcile = System.nanoTime() + settings.lectronz().reconcileInterval().toNanos();
        api = counting(new CamelLectronzApi(context.createProducerTemplate(), account.baseUrl(), account.apiToken()));
        fetchers = context.getExecutorServiceManager().newFixedThreadPool(this, "lectronz-detail-" + account.name(),
                settings.lectronz().concurrency());
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        registry = registry != null ? registry : Metrics.globalRegistry;
        malformed = Counter.builder("lectronz.inbound.malformed")
                .description("Lectronz messages that could not be published because the remote JSON is malformed")
                .tag("account", account.name()).register(registry);
        metrics = BridgeMetrics.of(context);
        kafkaFailures = Counter.builder("lectronz.inbound.kafka.failures")
                .description("Inbound syncs that failed on Kafka (unreachable, timed out); each is retried at the next poll")
                .tag("account", account.name()).register(registry);
        leadership = ClusterServiceHelper.mandatoryLookupService(context).getView(account.leaseNamespace());
        leadership.addEventListener(onLeadershipChange);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (leadership != null) {
            leadership.removeEventListener(onLeadershipChange);
            leadership.getClusterService().releaseView(leadership);
        }
        if (running.tryLock(15, TimeUnit.SECONDS)) {
            try {
                closeKafka();
            } finally {
                running.unlock();
            }
        }
        if (fetchers != null) {
            context.getExecutorServiceManager().shutdown(fetchers);
        }
    }

    /**
     * What one run of the account's poll route hands from step to step (the exchange body): the new or changed
     * messages the scan found, and the published {@code updated_at} of every known message at that moment.
     */
    public static final class Run {
        private final boolean full;
        private final List<LectronzApi.Item> changed;
        private final Map<Long, String> known;
        private final long callsBefore;

        Run(boolean full, List<LectronzApi.Item> changed, Map<Long, String> known, long callsBefore) {
            this.full = full;
            this.changed = changed;
            this.known = known;
            this.callsBefore = callsBefore;
        }

        /** How many messages the scan found new or changed. */
        public int changes() {
            return changed.size();
        }

        String kind() {
            return full ? "reconcile" : "poll";
        }
    }

    /**
     * Step 1, scan: once this instance leads the account (and has its state), lists the pages down to the region
     * already published, or every page once per reconcile interval (updates of older messages). Null: no run now.
     */
    public Run scan() {
        return guarded(() -> {
            if (stopping || !topics.ready().isDone()) {
                return null;
            }
            if (standDown) {
                standDown = false;
                closeKafka(); // another instance may have published meanwhile: re-read the state
            }
            if (!leads()) {
                return null;
            }
            if (kafka == null) {
                open();
            }
            boolean full = System.nanoTime() - nextReconcile >= 0;
            if (full) {
                nextReconcile = System.nanoTime() + settings.lectronz().reconcileInterval().toNanos();
            }
            Map<Long, String> known = new HashMap<>(state.size() * 2);
            state.forEach((id, e) -> known.put(id, e.updatedAt()));
            long callsBefore = httpCalls.get();
            MessageScan.Result scan = MessageScan.scan(api, settings.lectronz().pageSize(), known, full);
            health.up();
            Run run = new Run(full, withRecheck(scan.changed()), known, callsBefore);
            metrics.inboundBacklog(account.name(), run.changes());
            if (run.changed.isEmpty()) {
                metrics.inboundSuccess(account.name(), Instant.now());
                LOG.debug("inbound {}: nothing new ({} list calls)", run.kind(), scan.listCalls());
            } else {
                LOG.info("inbound {} {}: {} new or changed messages to publish (list of {}, {} list calls)",
                        account.name(), run.kind(), run.changes(), scan.totalCount(), scan.listCalls());
            }
            return run;
        });
    }

    /**
     * Step 2, fetch and publish: the details of the scan's messages, {@code LECTRONZ_CONCURRENCY} GETs in flight
     * and running ahead of the writes, published oldest first in Kafka transactions of {@value #BATCH_SIZE} with
     * their state. Stops between transactions when this instance stops leading.
     */
    public Run publish(Run run) {
        if (run == null || run.changed.isEmpty()) {
            return run;
        }
        return guarded(() -> {
            if (stopping || standDown || kafka == null) {
                return null; // the state the scan read may be stale: the next scan starts over
            }
            Progress progress = new Progress(LOG, run.changes());
            new DetailFetcher(api, fetchers, BATCH_SIZE).fetchAndWrite(run.changed, run.known, batch -> {
                if (stopping || !leads()) {
                    throw new StoppedException(stopping ? "the bridge is stopping" : "this instance lost the leadership");
                }
                kafka.write(batch);
                committed(batch);
                progress.advance(batch.size());
                metrics.inboundBacklog(account.name(), Math.max(0, run.changes() - progress.done()));
            });
            metrics.inboundSuccess(account.name(), Instant.now());
            recheck.clear();
            LOG.info("inbound {} {} done: {} messages in {} s ({} msg/s), {} HTTP calls", account.name(), run.kind(),
                    progress.done(), String.format("%.1f", progress.seconds()), Math.round(progress.rate()),
                    httpCalls.get() - run.callsBefore);
            return run;
        });
    }

    /** Step 3, mark as read ({@code LECTRONZ_MARK_AS_READ}): the customer messages committed on Kafka. */
    public void markAsRead(Run run) {
        if (run == null) {
            return;
        }
        guarded(() -> {
            if (!stopping && kafka != null) {
                markPending();
            }
            return run;
        });
    }

    /** Runs a step under the account's lock; a failure is reported once, in words, and ends this run (null). */
    private <T> T guarded(Callable<T> step) {
        if (!isStarted()) {
            return null; // inbound is switched off, or the bridge is stopping
        }
        running.lock();
        try {
            return step.call();
        } catch (LectronzApi.UnauthorizedException e) {
            health.down(e.getMessage());
            LOG.error("account {}: {}; retrying at the next poll", account.name(), e.getMessage());
        } catch (LectronzApi.LectronzException e) {
            if (e instanceof LectronzApi.MalformedResponseException) {
                malformed.increment();
            }
            health.down(e.getMessage());
            LOG.warn("account {}: {}; the scan stops here and resumes at the next poll (nothing is lost)", account.name(),
                    e.getMessage());
        } catch (StoppedException e) {
            LOG.info("inbound sync interrupted: {}", e.getMessage());
        } catch (Exception e) {
            if (fenced(e)) {
                LOG.warn("Another instance took over the Lectronz poller of account {} (transactional.id {} fenced "
                        + "this one); standing down until this instance leads again", account.name(), transactionalId);
            } else if (e instanceof KafkaException || e instanceof IllegalStateException) {
                kafkaFailures.increment();
                // a timed-out commit has an unknown outcome: the next poll fences this producer, which settles the
                // transaction, and re-reads the state from Kafka, so nothing is lost or published twice
                LOG.warn("Kafka write failed ({}); the next poll settles the open transaction, re-reads the state "
                        + "from Kafka and starts over", KafkaTransactions.rootMessage(e));
            } else {
                LOG.error("inbound sync failed; it starts over at the next poll", e);
            }
            closeKafka();
        } finally {
            running.unlock();
        }
        return null;
    }

    private void open() {
        InboundKafka k = new InboundKafka(clients, settings.topics(), account);
        Map<Long, InboundKafka.Entry> restored = k.open();
        state.clear();
        state.putAll(restored);
        pendingMarks.clear();
        if (settings.lectronz().markAsRead()) {
            restored.forEach((id, e) -> {
                if (needsMark(e.type(), e.unread())) {
                    pendingMarks.add(id);
                }
            });
        }
        kafka = k;
        LOG.info("inbound state of account {} restored from {}: {} known messages (transactional.id {})",
                account.name(), settings.topics().state(), state.size(), transactionalId);
    }

    /** The scan's changes plus the messages marked read since, oldest first. */
    private List<LectronzApi.Item> withRecheck(List<LectronzApi.Item> changed) {
        if (recheck.isEmpty()) {
            return changed;
        }
        Set<Long> listed = new HashSet<>();
        changed.forEach(i -> listed.add(i.id()));
        List<LectronzApi.Item> all = new ArrayList<>(changed);
        for (Long id : recheck) {
            InboundKafka.Entry e = state.get(id);
            if (e != null && !listed.contains(id)) {
                all.add(new LectronzApi.Item(id, e.type(), e.createdAt(), e.updatedAt()));
            }
        }
        all.sort(MessageScan.OLDEST_FIRST);
        return all;
    }

    /** After the batch's transaction committed: remember, log, count, and queue the marks. */
    private void committed(List<InboundMessage> batch) {
        boolean each = batch.size() <= LOG_EACH_UP_TO;
        int created = 0;
        for (InboundMessage m : batch) {
            if (m.malformed()) {
                malformed.increment();
                LOG.error("Malformed Lectronz message {} (updated_at {}): {}; not published, fetched again by the next "
                        + "scans that list it", m.id(), m.updatedAt(), m.problem());
                continue;
            }
            state.put(m.id(), InboundKafka.entry(m));
            created += m.created() ? 1 : 0;
            metrics.inboundPublished(account.name(), m.type(), m.created() ? "created" : "updated");
            String line = String.format("inbound  %s order/%s %s #%d %s -> %s", account.name(), m.orderId(), m.type(),
                    m.id(), m.created() ? "created" : "updated", settings.topics().forMessageType(m.type()));
            if (each) {
                LOG.info(line);
            } else {
                LOG.debug(line);
            }
            if (settings.lectronz().markAsRead() && needsMark(m.type(), m.unread())) {
                pendingMarks.add(m.id());
            }
        }
        if (!each) {
            LOG.info("inbound  {} batch of {} committed: {} created, {} updated, up to #{}", account.name(),
                    batch.size(), created, batch.size() - created, batch.get(batch.size() - 1).id());
        }
    }

    private static boolean needsMark(String type, boolean unread) {
        return unread && "customer_order_message".equals(type);
    }

    /**
     * Marks committed customer messages read. A failure leaves them pending for the next poll; it never
     * re-publishes anything. Marking bumps updated_at, so a later scan publishes that version as updated.
     */
    private void markPending() {
        if (pendingMarks.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(pendingMarks);
        List<CompletableFuture<Long>> calls = new ArrayList<>(ids.size());
        for (Long id : ids) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                api.markAsRead(id);
                return id;
            }, fetchers));
        }
        int done = 0;
        RuntimeException failure = null;
        for (CompletableFuture<Long> call : calls) {
            try {
                Long id = call.join();
                pendingMarks.remove(id);
                recheck.add(id);
                done++;
            } catch (RuntimeException e) {
                failure = e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        if (done > 0) {
            LOG.info("inbound  marked {} customer message(s) as read", done);
        }
        if (failure instanceof LectronzApi.UnauthorizedException u) {
            throw u;
        }
        if (failure != null) {
            LOG.warn("mark_as_read failed for {} message(s) ({}); retried at the next poll", pendingMarks.size(),
                    failure.getMessage());
        }
    }

    private boolean leads() {
        return leadership.getLocalMember().isLeader();
    }

    private void closeKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
            state.clear();
            pendingMarks.clear();
            recheck.clear();
        }
    }

    private LectronzApi counting(LectronzApi delegate) {
        return new LectronzApi() {
            @Override
            public Page list(int limit, int offset) {
                httpCalls.incrementAndGet();
                return delegate.list(limit, offset);
            }

            @Override
            public byte[] message(long id) {
                httpCalls.incrementAndGet();
                return delegate.message(id);
            }

            @Override
            public void markAsRead(long id) {
                httpCalls.incrementAndGet();
                delegate.markAsRead(id);
            }
        };
    }

    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }


    /** Thrown from inside a sync when it must stop between transactions. */
    private static final class StoppedException extends RuntimeException {
        StoppedException(String message) {
            super(message);
        }
    }
}
