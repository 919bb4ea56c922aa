package io.marketplacebridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process fake of both remote APIs (SPEC section 2) on one port: Lectronz under {@code /lectronz/api/v1},
 * Alephee under {@code /alephee/v2}. Start it with {@link #start(SandboxOptions)} (port 0 = a free port) and
 * point the bridge at {@link #lectronzBaseUrl()} / {@link #alepheeBaseUrl()}.
 *
 * <p>Besides HTTP, tests and benchmarks drive and inspect it through this class:
 * <ul>
 *   <li>data: {@link #seedMessages(int)}, {@link #addCustomerMessage(long, String)}, {@link #addMessage},
 *       {@link #touchMessage(long)}, {@link #markMessageRead(long)}, {@link #messages()}, {@link #message(long)};</li>
 *   <li>what the bridge sent: {@link #createdMessages()} (Lectronz POST /messages),
 *       {@link #alepheeMessages()} (accepted Alephee sends, with decoded attachments);</li>
 *   <li>call counters per {@link Endpoint}: {@link #calls(Endpoint)}, {@link #resetCalls()} (every request that
 *       reaches an endpoint counts, including the ones answered with an injected fault or an error);</li>
 *   <li>deterministic faults for the next n requests under a path prefix ({@link #LECTRONZ}, {@link #ALEPHEE},
 *       "" = any) or of one {@link Endpoint}: {@link #failNext(String, int, int)},
 *       {@link #rateLimitNext(String, int, int)}, {@link #hangNext(String, int, Duration)} (rules apply in the
 *       order they were queued, each to its next n matching requests); random ones for
 *       benchmarks: {@link #setRandomFaults}, {@link #setLatency};</li>
 *   <li>credentials at runtime: {@link #setLectronzToken}, {@link #setAlepheeApiKey}, {@link #acceptAlepheeAccount};</li>
 *   <li>several stores and keys: {@link #addLectronzStore(String)} (one more store behind its own token, same
 *       base URL; the methods above act on the first store), {@link #addAlepheeKey};</li>
 *   <li>Alephee conversation rules per order: {@link #enableConversationRules(long)}, {@link #buyerReplied(long)}.</li>
 * </ul>
 *
 * <p>Unknown orders: every order id at or above {@link #UNKNOWN_ORDER_FROM} (90,000,000) does not exist, on
 * both APIs (Lectronz create answers 422, Alephee answers 404); every other positive id exists.
 *
 * <p>Requests are served by a pool of {@value #THREADS} threads; latency and hangs sleep outside any lock.
 */
public final class Sandbox implements AutoCloseable {

    /** Path prefix of the Lectronz API, for the fault methods. */
    public static final String LECTRONZ = LectronzApi.BASE;
    /** Path prefix of the Alephee API, for the fault methods. */
    public static final String ALEPHEE = AlepheeApi.BASE;
    /** Order ids from here on are unknown to both APIs. */
    public static final long UNKNOWN_ORDER_FROM = 90_000_000L;
    static final int THREADS = 128;

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    static {
        // The JDK server writes headers and body separately; with Nagle on, the client's delayed ACK adds ~40 ms
        // to every answer. Read once when the first HttpServer is created, so set it before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService demo;
    private final LectronzStore lectronzStore;
    private final Store defaultStore;
    private final long firstMessageId;
    private final int seedMessages;
    private final LectronzApi lectronz;
    private final AlepheeApi alephee;
    private final Faults faults;
    private final Map<Endpoint, LongAdder> calls = new EnumMap<>(Endpoint.class);

    private Sandbox(SandboxOptions options) throws IOException {
        for (Endpoint e : Endpoint.values()) {
            calls.put(e, new LongAdder());
        }
        faults = new Faults(options);
        firstMessageId = options.firstMessageId();
        seedMessages = options.seedMessages();
        lectronzStore = new LectronzStore(firstMessageId);
        defaultStore = new Store(lectronzStore);
        lectronz = new LectronzApi(lectronzStore, options.lectronzToken());
        alephee = new AlepheeApi(options.alepheeApiKey(), options.alepheeAccountId(), options.alepheeRateLimit());
        lectronzStore.seed(options.seedMessages());
        server = HttpServer.create(new InetSocketAddress("localhost", options.port()), 512);
        workers = Executors.newFixedThreadPool(THREADS, daemonThreads("sandbox-http-"));
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
        if (options.demoInterval().isZero() || options.demoInterval().isNegative()) {
            demo = null;
        } else {
            demo = Executors.newSingleThreadScheduledExecutor(daemonThreads("sandbox-demo-"));
            long every = options.demoInterval().toMillis();
            demo.scheduleAtFixedRate(() -> lectronz.stores().forEach(LectronzStore::addDemoQuestion), every, every,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Starts a sandbox; {@code options.port()} 0 picks a free port. */
    public static Sandbox start(SandboxOptions options) {
        try {
            Sandbox sandbox = new Sandbox(options);
            LOG.info("Sandbox listening: Lectronz {}, Alephee {}", sandbox.lectronzBaseUrl(), sandbox.alepheeBaseUrl());
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the sandbox on port " + options.port(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String lectronzBaseUrl() {
        return "http://localhost:" + port() + LECTRONZ;
    }

    public String alepheeBaseUrl() {
        return "http://localhost:" + port() + ALEPHEE;
    }

    /** Stops serving at once; hanging requests are interrupted and their connections closed. */
    @Override
    public void close() {
        if (demo != null) {
            demo.shutdownNow();
        }
        server.stop(0);
        workers.shutdownNow();
    }

    /** True for order ids that exist on neither API (at or above {@link #UNKNOWN_ORDER_FROM}). */
    public static boolean isUnknownOrder(long orderId) {
        return orderId >= UNKNOWN_ORDER_FROM;
    }

    // --- Lectronz data ---------------------------------------------------------------------------------

    /**
     * Adds {@code n} messages on new orders, oldest first, ids increasing: buyer questions (some with a photo
     * attachment), seller answers, follow-ups and refund messages. Returns them oldest first.
     */
    public List<LectronzMessage> seedMessages(int n) {
        return defaultStore.seedMessages(n);
    }

    /** A new unread {@code customer_order_message} on the order, created now (newest in the list). */
    public LectronzMessage addCustomerMessage(long orderId, String content) {
        return defaultStore.addCustomerMessage(orderId, content);
    }

    /** A new message of any type (see {@link LectronzMessage} constants), attachment optional, created now. */
    public LectronzMessage addMessage(String type, long orderId, String content, LectronzMessage.Attachment attachment) {
        return defaultStore.addMessage(type, orderId, content, attachment);
    }

    /** Bumps the message's {@code updated_at} (strictly later), as an edit on the marketplace would. */
    public LectronzMessage touchMessage(long id) {
        return defaultStore.touchMessage(id);
    }

    /** Marks the message read as mark_as_read would (sets read_at, bumps updated_at); no change when already read. */
    public LectronzMessage markMessageRead(long id) {
        return defaultStore.markMessageRead(id);
    }

    /** Every Lectronz message, oldest first, as it is now. */
    public List<LectronzMessage> messages() {
        return defaultStore.messages();
    }

    public Optional<LectronzMessage> message(long id) {
        return lectronzStore.find(id);
    }

    /** The orders {@link #seedMessages(int)} created (the demo timer picks among them). */
    public List<Long> seededOrders() {
        return lectronzStore.seededOrders();
    }

    /** The messages created through {@code POST /messages}, in the order they were created, as they are now. */
    public List<LectronzMessage> createdMessages() {
        return defaultStore.createdMessages();
    }

    /**
     * Adds a store reached with its own bearer token (same base URL), seeded like the first one; its message ids
     * start a million above the previous store's, so the demo's log lines tell the stores apart.
     */
    public synchronized Store addLectronzStore(String token) {
        LectronzStore store = new LectronzStore(firstMessageId + 1_000_000L * lectronz.stores().size());
        lectronz.addStore(token, store);
        store.seed(seedMessages);
        return new Store(store);
    }

    /** The store of the first token ({@code SandboxOptions.lectronzToken}); the methods above act on it. */
    public Store lectronzStore() {
        return defaultStore;
    }

    /** One Lectronz store: its data, and what the bridge created there. */
    public static final class Store {
        private final LectronzStore store;

        private Store(LectronzStore store) {
            this.store = store;
        }

        public List<LectronzMessage> seedMessages(int n) {
            return store.seed(n);
        }

        public LectronzMessage addCustomerMessage(long orderId, String content) {
            return addMessage(LectronzMessage.CUSTOMER, orderId, content, null);
        }

        public LectronzMessage addMessage(String type, long orderId, String content, LectronzMessage.Attachment attachment) {
            if (!List.of(LectronzMessage.CUSTOMER, LectronzMessage.SELLER, LectronzMessage.REFUND).contains(type)) {
                throw new IllegalArgumentException("unknown message type " + type);
            }
            return store.add(type, orderId, content, attachment);
        }

        public LectronzMessage touchMessage(long id) {
            return store.touch(id).orElseThrow(() -> new IllegalArgumentException("no message " + id));
        }

        public LectronzMessage markMessageRead(long id) {
            return store.markRead(id).orElseThrow(() -> new IllegalArgumentException("no message " + id));
        }

        /** Every message, oldest first, as it is now. */
        public List<LectronzMessage> messages() {
            return store.all();
        }

        public List<LectronzMessage> createdMessages() {
            return store.createdViaApi();
        }
    }

    // --- Alephee ----------------------------------------------------------------------------------------

    /** The messages Alephee accepted (200), in order, with decoded attachments. */
    public List<AlepheeMessage> alepheeMessages() {
        return alephee.received();
    }

    /** Changes the per-minute limit per API key (0 = unlimited) and starts fresh windows. */
    public void setAlepheeRateLimit(int requestsPerMinute) {
        alephee.limiter().limit(requestsPerMinute);
        alephee.limiter().reset();
    }

    /**
     * Switches Alephee's conversation rules on for one order: a second message before the buyer replies is 409,
     * an attachment before a first answered message is 412, after an attachment only the same reason (409).
     */
    public void enableConversationRules(long orderId) {
        alephee.conversation(orderId);
    }

    /** The buyer answered on the order: the next seller message (and attachments) are allowed. */
    public void buyerReplied(long orderId) {
        alephee.conversation(orderId).buyerReplied();
    }

    // --- credentials -------------------------------------------------------------------------------------

    /** The bearer token Lectronz accepts from now on (to test 401). */
    public void setLectronzToken(String token) {
        lectronz.token(lectronzStore, token);
    }

    /** The API_KEY Alephee accepts from now on (to test 401). */
    public void setAlepheeApiKey(String apiKey) {
        alephee.apiKey(apiKey);
    }

    /** One more accountId Alephee accepts besides the configured one. */
    public void acceptAlepheeAccount(String accountId) {
        alephee.acceptAccount(accountId);
    }

    /** One more API_KEY Alephee accepts, for one accountId; each key has its own rate limit window. */
    public void addAlepheeKey(String apiKey, String accountId) {
        alephee.addKey(apiKey, accountId);
    }

    // --- counters ----------------------------------------------------------------------------------------

    /** Requests that reached the endpoint since start or the last {@link #resetCalls()}. */
    public long calls(Endpoint endpoint) {
        return calls.get(endpoint).sum();
    }

    public Map<Endpoint, Long> calls() {
        Map<Endpoint, Long> snapshot = new EnumMap<>(Endpoint.class);
        calls.forEach((e, n) -> snapshot.put(e, n.sum()));
        return snapshot;
    }

    public void resetCalls() {
        calls.values().forEach(LongAdder::reset);
    }

    // --- faults ------------------------------------------------------------------------------------------

    /** The next {@code n} requests (any path) are answered {@code status} (500: plain body on Alephee). */
    public void failNext(int n, int status) {
        failNext("", n, status);
    }

    /** The next {@code n} requests whose path starts with {@code pathPrefix} (e.g. {@link #ALEPHEE}) fail. */
    public void failNext(String pathPrefix, int n, int status) {
        faults.add(pathPrefix, n, new Faults.Fault(Faults.Kind.FAIL, status, 0, null));
    }

    /** The next {@code n} requests are answered 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitNext(int n, int retryAfterSeconds) {
        rateLimitNext("", n, retryAfterSeconds);
    }

    public void rateLimitNext(String pathPrefix, int n, int retryAfterSeconds) {
        faults.add(pathPrefix, n, new Faults.Fault(Faults.Kind.RATE_LIMIT, 429, retryAfterSeconds, null));
    }

    /** The next {@code n} requests hang for the configured hang duration (default 60 s), then are served. */
    public void hangNext(int n) {
        hangNext("", n, faults.hangDuration);
    }

    public void hangNext(String pathPrefix, int n, Duration hang) {
        faults.add(pathPrefix, n, new Faults.Fault(Faults.Kind.HANG, 0, 0, hang));
    }

    /** The next {@code n} calls of one endpoint (e.g. only the list, not the details) are answered {@code status}. */
    public void failNext(Endpoint endpoint, int n, int status) {
        faults.add(endpoint, n, new Faults.Fault(Faults.Kind.FAIL, status, 0, null));
    }

    /** The next {@code n} calls of one endpoint are answered 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitNext(Endpoint endpoint, int n, int retryAfterSeconds) {
        faults.add(endpoint, n, new Faults.Fault(Faults.Kind.RATE_LIMIT, 429, retryAfterSeconds, null));
    }

    /** The next {@code n} calls of one endpoint hang for {@code hang}, then are served. */
    public void hangNext(Endpoint endpoint, int n, Duration hang) {
        faults.add(endpoint, n, new Faults.Fault(Faults.Kind.HANG, 0, 0, hang));
    }

    /** Drops queued deterministic faults (random rates stay). */
    public void clearFaults() {
        faults.clear();
    }

    /** Latency added to every request from now on. */
    public void setLatency(Duration perRequest) {
        faults.latency = perRequest;
    }

    /** Fractions (0..1) of requests answered 500, answered 429 (with {@code retryAfterSeconds}), hanging. */
    public void setRandomFaults(double errorRate, double rateLimitRate, int retryAfterSeconds, double hangRate) {
        faults.errorRate = errorRate;
        faults.rateLimitRate = rateLimitRate;
        faults.retryAfterSeconds = retryAfterSeconds;
        faults.hangRate = hangRate;
    }

    // --- serving -----------------------------------------------------------------------------------------

    private void serve(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            boolean isLectronz = path.startsWith(LECTRONZ);
            boolean isAlephee = path.startsWith(ALEPHEE);
            if (!isLectronz && !isAlephee) {
                Http.text(ex, 404, "Not found: the sandbox serves " + LECTRONZ + " and " + ALEPHEE);
                return;
            }
            String sub = path.substring(isLectronz ? LECTRONZ.length() : ALEPHEE.length());
            Endpoint endpoint = isLectronz ? LectronzApi.endpoint(method, sub) : AlepheeApi.endpoint(method, sub);
            if (endpoint != null) {
                calls.get(endpoint).increment();
            }
            Faults.Fault fault = faults.next(path, endpoint);
            if (!pause(faults.latency) || fault != null && fault.kind() == Faults.Kind.HANG && !pause(fault.hang())) {
                return; // closing: drop the connection
            }
            if (fault != null && fault.kind() == Faults.Kind.HANG) {
                fault = null;
            }
            if (isLectronz) {
                lectronz.handle(ex, sub, fault);
            } else {
                alephee.handle(ex, sub, fault);
            }
        } catch (Exception e) {
            LOG.warn("Sandbox failed to answer {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    e.toString());
            if (ex.getResponseCode() == -1) {
                try {
                    Http.text(ex, 500, "Sandbox error: " + e);
                } catch (IOException ignored) {
                    // the client is gone
                }
            }
        }
    }

    /** Sleeps; false when interrupted (the sandbox is closing). */
    private static boolean pause(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            return true;
        }
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
