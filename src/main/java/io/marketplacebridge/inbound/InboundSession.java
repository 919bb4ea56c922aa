package io.marketplacebridge.inbound;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.http.RemoteApiHealthCheck;
import io.marketplacebridge.kafka.KafkaClients;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inbound steps of one Lectronz account share, and its lifecycle: the account's Kafka session (the
 * transactional producer, {@link InboundKafka}) and the state restored with it, the pending marks, the stand-down
 * flag, the detail executor, and the lock each step runs under ({@link #guarded}), which stopping waits for.
 * Only the instance that leads the account's namespace ({@link InboundAccount#leaseNamespace()}) polls: the routes
 * run under Camel's ClusteredRoutePolicy on that namespace, and the steps check the same cluster view between
 * transactions. A service of the context, so it outlives the routes (the policy stops those on a lost lead).
 */
public final class InboundSession extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("inbound");

    private final CamelContext context;
    private final BridgeSettings.Lectronz lectronz;
    private final BridgeSettings.Topics topicNames;
    private final KafkaClients clients;
    /** The topics, created in the background at start ({@link TopicInitializer#ready()}). */
    private final CompletableFuture<Void> topicsReady;
    private final InboundAccount account;
    private final RemoteApiHealthCheck health;
    private final ReentrantLock running = new ReentrantLock();
    private final InboundState state;
    private volatile boolean stopping;
    /** Set when this instance loses the leadership: the next run as leader re-reads the state from Kafka. */
    private volatile boolean standDown;
    /** When the next scan walks the whole list (System.nanoTime()). */
    private long nextReconcile;
    private CountingLectronzApi api;
    private ExecutorService fetchers;
    /** Walks the list of a first sync while the publish step runs ({@link InboundScan}). */
    private Executor scanner;
    private BooleanSupplier leads;
    private CamelClusterView leadership;
    private final CamelClusterEventListener.Leadership onLeadershipChange = (view, leader) -> {
        if (!view.getLocalMember().isLeader()) {
            standDown();
        }
    };
    private BridgeMetrics metrics;
    private Counter malformed;
    private InboundFailures failures;
    private InboundKafka kafka;

    public InboundSession(CamelContext context, BridgeSettings settings, InboundAccount account, KafkaClients clients,
                          TopicInitializer topics) {
        this(context, settings.lectronz(), settings.topics(), account, clients, topics.ready());
    }

    private InboundSession(CamelContext context, BridgeSettings.Lectronz lectronz, BridgeSettings.Topics topicNames,
                           InboundAccount account, KafkaClients clients, CompletableFuture<Void> topicsReady) {
        this.context = context;
        this.lectronz = lectronz;
        this.topicNames = topicNames;
        this.account = account;
        this.clients = clients;
        this.topicsReady = topicsReady;
        this.state = new InboundState(lectronz.markAsRead());
        this.health = new RemoteApiHealthCheck(Accounts.DEFAULT.equals(account.name()) ? "lectronz"
                : "lectronz-" + account.name());
    }

    /** A session outside Camel (the steps' unit tests): the Lectronz API, the executor and the lead given. */
    static InboundSession of(BridgeSettings.Lectronz lectronz, BridgeSettings.Topics topicNames, InboundAccount account,
                             KafkaClients clients, LectronzApi api, ExecutorService fetchers, BooleanSupplier leads,
                             MeterRegistry registry) {
        InboundSession session = new InboundSession(null, lectronz, topicNames, account, clients,
                CompletableFuture.completedFuture(null));
        session.attach(api, fetchers, leads, registry, new BridgeMetrics(registry));
        session.scanner = walk -> {
            Thread t = new Thread(walk, "lectronz-scan-" + account.name());
            t.setDaemon(true);
            t.start();
        };
        return session;
    }

    private void attach(LectronzApi api, ExecutorService fetchers, BooleanSupplier leads, MeterRegistry registry,
                        BridgeMetrics metrics) {
        this.api = new CountingLectronzApi(api);
        this.fetchers = fetchers;
        this.leads = leads;
        this.metrics = metrics;
        this.malformed = Counter.builder("lectronz.inbound.malformed")
                .description("Lectronz messages that could not be published because the remote JSON is malformed")
                .tag("account", account.name()).register(registry);
        Counter kafkaFailures = Counter.builder("lectronz.inbound.kafka.failures")
                .description("Inbound syncs that failed on Kafka (unreachable, timed out); each is retried at the next poll")
                .tag("account", account.name()).register(registry);
        this.failures = new InboundFailures(account.name(), account.transactionalId(), health, malformed, kafkaFailures);
    }

    RemoteApiHealthCheck healthCheck() {
        return health;
    }

    @Override
    protected void doStart() throws Exception {
        nextReconcile = System.nanoTime() + lectronz.reconcileInterval().toNanos();
        if (context == null) {
            return; // attached already
        }
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        attach(new CamelLectronzApi(context.createProducerTemplate(), account.baseUrl(), account.apiToken()),
                context.getExecutorServiceManager().newFixedThreadPool(this, "lectronz-detail-" + account.name(),
                        lectronz.concurrency()),
                () -> leadership.getLocalMember().isLeader(), registry != null ? registry : Metrics.globalRegistry,
                BridgeMetrics.of(context));
        scanner = context.getExecutorServiceManager().newSingleThreadExecutor(this, "lectronz-scan-" + account.name());
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
        if (fetchers != null && context != null) {
            context.getExecutorServiceManager().shutdown(fetchers);
        }
        if (scanner instanceof ExecutorService s && context != null) {
            context.getExecutorServiceManager().shutdown(s);
        }
    }

    /** Runs a step under the account's lock; a failure is reported once ({@link InboundFailures}) and ends the run (null). */
    <T> T guarded(Callable<T> step) {
        if (!isStarted()) {
            return null; // inbound is switched off, or the bridge is stopping
        }
        running.lock();
        try {
            return step.call();
        } catch (Exception e) {
            if (failures.contain(e)) {
                closeKafka();
            }
        } finally {
            running.unlock();
        }
        return null;
    }

    /**
     * Before a scan: true when this instance leads the account and holds its Kafka session, opened now if needed
     * (which fences any other writer and restores the state). After a lost lead, the state is read again first:
     * another instance may have published meanwhile.
     *
     * @param whileOpening run just before the session is opened, so what it starts overlaps the restore
     */
    boolean readyToScan(Runnable whileOpening) {
        if (stopping || !topicsExist()) {
            return false;
        }
        if (standDown) {
            standDown = false;
            closeKafka();
        }
        if (!leads.getAsBoolean()) {
            return false;
        }
        if (kafka == null) {
            whileOpening.run();
            open();
        }
        return true;
    }

    /**
     * Waits for the topics at most one poll interval: right after start the first poll may come before they are
     * checked, and skipping it would delay the first poll by a whole interval. False while Kafka is unreachable.
     */
    private boolean topicsExist() {
        long deadline = System.nanoTime() + lectronz.pollInterval().toNanos();
        while (!stopping) {
            try {
                topicsReady.get(100, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                return false; // not used: the initializer retries until the topics exist
            }
        }
        return false;
    }

    /** Before a publish: false when the state the scan read may be stale (stopping, lost lead, session dropped). */
    boolean readyToPublish() {
        return !stopping && !standDown && kafka != null;
    }

    /** Before marking read: false when stopping, or the session was dropped (its pending marks with it). */
    boolean readyToMark() {
        return !stopping && kafka != null;
    }

    /** Between transactions: throws when the run must stop (the bridge stops, or another instance leads now). */
    void checkStillLeading() {
        if (stopping || !leads.getAsBoolean()) {
            throw new InboundFailures.StoppedException(stopping ? "the bridge is stopping"
                    : "this instance lost the leadership");
        }
    }

    /** Whether this scan walks the whole list: once per {@code LECTRONZ_RECONCILE_INTERVAL}. */
    boolean reconcileDue() {
        boolean full = System.nanoTime() - nextReconcile >= 0;
        if (full) {
            nextReconcile = System.nanoTime() + lectronz.reconcileInterval().toNanos();
        }
        return full;
    }

    /** This instance lost the account's lead. */
    void standDown() {
        standDown = true;
    }

    private void open() {
        InboundKafka k = new InboundKafka(clients, topicNames, account);
        state.restore(k.open());
        kafka = k;
        LOG.info("inbound state of account {} restored from {}: {} known messages (transactional.id {})",
                account.name(), topicNames.state(), state.size(), account.transactionalId());
    }

    private void closeKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
            state.clear();
        }
    }

    InboundAccount account() {
        return account;
    }

    BridgeSettings.Lectronz lectronz() {
        return lectronz;
    }

    BridgeSettings.Topics topicNames() {
        return topicNames;
    }

    InboundState state() {
        return state;
    }

    InboundKafka kafka() {
        return kafka;
    }

    LectronzApi api() {
        return api;
    }

    ExecutorService fetchers() {
        return fetchers;
    }

    Executor scanner() {
        return scanner;
    }

    BridgeMetrics metrics() {
        return metrics;
    }

    Counter malformed() {
        return malformed;
    }

    /** The HTTP calls made for this account so far. */
    long httpCalls() {
        return api.calls();
    }
}
