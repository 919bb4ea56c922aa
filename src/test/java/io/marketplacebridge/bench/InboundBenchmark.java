package io.marketplacebridge.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.marketplacebridge.inbound.InboundTopics;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Inbound benchmark (not a test). Sandbox with {@code bench.messages} (10,000) messages and 20 ms latency per
 * call; syncs them with concurrency 4 (the default), 16 and 1, each with fresh topics and state, and reports
 * sync time, messages/s and HTTP calls against the N + ceil(N/page) + 2 budget. Then kills the bridge with
 * kill -9 three times during a {@code bench.crash-messages} (3,000) message sync and checks, reading with
 * read_committed, that every (id, updated_at) is on Kafka exactly once.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.marketplacebridge.bench.InboundBenchmark
 * </pre>
 */
public final class InboundBenchmark {

    private static final int PAGE = 50;

    private InboundBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.messages", 10_000);
        int crashN = Integer.getInteger("bench.crash-messages", 3_000);
        String concurrencies = System.getProperty("bench.concurrency", "4,16,1");
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();
        StringBuilder report = new StringBuilder();
        double c1 = 0;
        Map<Integer, Double> rates = new HashMap<>();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(n)
                .withLatency(Duration.ofMillis(20)))) {
            if (Boolean.parseBoolean(System.getProperty("bench.warmup", "true"))) {
                // the first bridge in a fresh JVM runs on cold code: one unreported sync first
                syncOnce(sandbox, bootstrap, n, 16, new StringBuilder());
            }
            for (String c : concurrencies.split(",")) {
                if (c.isBlank()) {
                    continue;
                }
                int concurrency = Integer.parseInt(c.trim());
                double rate = syncOnce(sandbox, bootstrap, n, concurrency, report);
                rates.put(concurrency, rate);
            }
        }
        if (rates.containsKey(1)) {
            c1 = rates.get(1);
            for (Map.Entry<Integer, Double> e : rates.entrySet()) {
                if (e.getKey() != 1) {
                    report.append(String.format(Locale.ROOT, "  concurrency %d vs 1: %.1fx%n", e.getKey(), e.getValue() / c1));
                }
            }
        }
        if (crashN > 0) {
            crashRun(bootstrap, crashN, report);
        }
        System.out.println("\n==== InboundBenchmark ====\n" + report);
        System.exit(0);
    }

    private static double syncOnce(Sandbox sandbox, String bootstrap, int n, int concurrency, StringBuilder report)
            throws Exception {
        String prefix = "bench-c" + concurrency + "-" + System.nanoTime();
        Map<String, String> s = settings(bootstrap, sandbox.lectronzBaseUrl(), prefix);
        s.put("lectronz.concurrency", String.valueOf(concurrency));
        sandbox.resetCalls();
        try (Reader reader = new Reader(bootstrap, prefix);
             BridgeRunner bridge = BridgeRunner.start(s)) {
            while (sandbox.calls(Endpoint.LECTRONZ_LIST) == 0) {
                Thread.sleep(5);
            }
            long t0 = System.nanoTime();
            while (reader.count() < n) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long lists = sandbox.calls(Endpoint.LECTRONZ_LIST);
            long details = sandbox.calls(Endpoint.LECTRONZ_DETAIL);
            long budget = n + (n + PAGE - 1) / PAGE + 2;
            double rate = n / seconds;
            report.append(String.format(Locale.ROOT,
                    "sync of %d messages, 20 ms latency, concurrency %d: %.1f s, %.0f msg/s, HTTP calls %d "
                            + "(list %d + detail %d) vs budget %d, duplicates %d%n",
                    n, concurrency, seconds, rate, lists + details, lists, details, budget, reader.duplicates()));
            System.out.println(report);
            return rate;
        }
    }

    private static void crashRun(String bootstrap, int n, StringBuilder report) throws Exception {
        exposeClassPath();
        String prefix = "bench-crash-" + System.nanoTime();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(n)
                .withLatency(Duration.ofMillis(20)));
             Reader reader = new Reader(bootstrap, prefix)) {
            Map<String, String> s = settings(bootstrap, sandbox.lectronzBaseUrl(), prefix);
            int[] killAt = {n / 6, n / 2, 5 * n / 6};
            int kills = 0;
            for (int at : killAt) {
                try (BridgeProcess p = BridgeProcess.start(s).awaitStarted()) {
                    while (reader.count() < at) {
                        Thread.sleep(10);
                    }
                    p.kill9();
                    kills++;
                    System.out.println("kill -9 with " + reader.count() + " of " + n + " records committed");
                }
            }
            long t0 = System.nanoTime();
            try (BridgeProcess p = BridgeProcess.start(s).awaitStarted()) {
                while (reader.count() < n && System.nanoTime() - t0 < Duration.ofMinutes(3).toNanos()) {
                    Thread.sleep(50);
                }
                Thread.sleep(2000); // anything extra (a duplicate) would show up now
                reader.count();
            }
            Set<String> expected = new HashSet<>();
            for (LectronzMessage m : sandbox.messages()) {
                expected.add("lectronz-message-" + m.id() + "-" + m.updatedAtText());
            }
            Set<String> seen = reader.ceIds();
            int missing = (int) expected.stream().filter(id -> !seen.contains(id)).count();
            report.append(String.format(Locale.ROOT,
                    "crash run: %d messages, %d x kill -9, then a clean finish: %d records read_committed, "
                            + "%d distinct (id, updated_at), %d duplicates, %d missing -> %s%n",
                    n, kills, reader.total(), seen.size(), reader.duplicates(), missing,
                    reader.duplicates() == 0 && missing == 0 ? "EXACTLY ONCE" : "FAILED"));
        }
    }

    /**
     * exec:java runs us in a class loader of its own; java.class.path is Maven's launcher. BridgeProcess starts
     * the bridge JVM with java.class.path, so it gets the project's class path instead.
     */
    private static void exposeClassPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            StringBuilder cp = new StringBuilder();
            for (URL url : loader.getURLs()) {
                try {
                    cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(Path.of(url.toURI()));
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            System.setProperty("java.class.path", cp.toString());
        }
    }

    private static Map<String, String> settings(String bootstrap, String lectronz, String prefix) {
        Map<String, String> s = InboundTopics.settings(bootstrap, lectronz, prefix);
        s.put("kafka.topic.partitions", "4");
        s.put("lectronz.poll-interval", "1s");
        s.put("lectronz.page-size", String.valueOf(PAGE));
        return s;
    }

    /** Reads the three inbound topics with read_committed, as a downstream consumer would. */
    private static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Set<String> ceIds = new HashSet<>();
        private int total;
        private int duplicates;

        Reader(String bootstrap, String prefix) {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("isolation.level", "read_committed");
            p.put("auto.offset.reset", "earliest");
            p.put("group.id", prefix + "-bench-reader");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(prefix + ".customer", prefix + ".seller", prefix + ".refund"));
        }

        int count() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                total++;
                String ceId = new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
                if (!ceIds.add(ceId)) {
                    duplicates++;
                }
            }
            return ceIds.size();
        }

        int total() {
            return total;
        }

        int duplicates() {
            return duplicates;
        }

        Set<String> ceIds() {
            return ceIds;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
