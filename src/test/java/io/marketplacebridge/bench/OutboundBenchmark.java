package io.marketplacebridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.marketplacebridge.outbound.KillScenario;
import io.marketplacebridge.outbound.OutboundKafka;
import io.marketplacebridge.sandbox.AlepheeMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

/**
 * Outbound figures (not a test): throughput against a sandbox with 20 ms latency at the default concurrency (8),
 * at 16 and at 32, with per-key order and exactly-once counted at the sandbox; 50 commands with 10 MB attachments
 * through a bridge JVM at -Xmx192m (prod profile); and kill -9 twice during 500 commands. Exits 1 when a
 * correctness check fails (order, counts, SHA-256, results). Run:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.marketplacebridge.bench.OutboundBenchmark}
 * Optional: {@code -Dbench.parts=throughput,attachments,kill -Dbench.concurrencies=8,16,32 -Dbench.commands=10000 -Dbench.keys=1000 -Dbench.warmup=3000}.
 */
public final class OutboundBenchmark {

    private static final Duration LATENCY = Duration.ofMillis(20);

    public static void main(String[] args) throws Exception {
        String concurrencies = System.getProperty("bench.concurrencies", "8,16,32");
        int commands = Integer.getInteger("bench.commands", 10_000);
        int keys = Integer.getInteger("bench.keys", 1_000);
        System.out.println("Kafka: " + EmbeddedKafkaExtension.bootstrapServers());
        String parts = System.getProperty("bench.parts", "throughput,attachments,kill");
        // under exec:java, java.class.path is Maven's launcher: child bridge JVMs need the project class path
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader urls) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL u : urls.getURLs()) {
                entries.add(Path.of(u.toURI()).toString());
            }
            System.setProperty("java.class.path", String.join(java.io.File.pathSeparator, entries));
        }
        // the JDK server inside the sandbox otherwise delays small responses by 40 ms (Nagle + delayed ACK)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            if (parts.contains("throughput")) {
                int warmup = Integer.getInteger("bench.warmup", 3_000);
                if (warmup > 0) { // the first bridge in a fresh JVM runs on cold code: one unreported round first
                    throughput(Integer.parseInt(concurrencies.split(",")[0].trim()), warmup, keys, new ArrayList<>(), failures);
                }
                for (String c : concurrencies.split(",")) {
                    throughput(Integer.parseInt(c.trim()), commands, keys, report, failures);
                }
                report.add("targets: >= 1000 commands/s at 32, >= 700 commands/s at 16 (limit 16 / 20 ms = 800)");
            }
            if (parts.contains("attachments")) {
                report.add(largeAttachments(50, 10 * 1024 * 1024, failures));
            }
            if (parts.contains("kill")) {
                report.add(killTwice(500, failures));
            }
        } catch (Throwable t) {
            t.printStackTrace();
            failures.add("FAILED: " + t);
        } finally {
            System.out.println("\n==== OutboundBenchmark ====");
            report.forEach(System.out::println);
            failures.forEach(f -> System.out.println("CHECK FAILED: " + f));
            System.out.println("===========================");
            System.exit(failures.isEmpty() ? 0 : 1);
        }
    }

    /** Sends all commands first, then starts the bridge and times how fast it works through them. */
    static double throughput(int concurrency, int commands, int keys, List<String> report, List<String> failures) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withLatency(LATENCY).withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("bridge.outbound.concurrency", String.valueOf(concurrency));
            props.put("kafka.topic.partitions", "8");
            int[] seq = new int[keys];
            // the topics are created by a first bridge start, so the partition count is the bridge's
            try (BridgeRunner warmup = BridgeRunner.start(props)) {
                kafka.awaitTopics();
            }
            for (int i = 0; i < commands; i++) {
                int key = i % keys;
                long orderId = 1_000_000L + key * 1_000L + seq[key]++;
                kafka.sendNoWait("order-" + key, "{\"channel\":\"alephee\",\"orderId\":" + orderId + ",\"content\":\"reply " + i + "\"}");
            }
            kafka.flush();
            long start = System.nanoTime();
            List<ConsumerRecord<String, byte[]>> results;
            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                results = kafka.results(commands, Duration.ofMinutes(3));
            }
            double wallSeconds = (System.nanoTime() - start) / 1e9;
            List<Long> stamps = results.stream().map(r -> Instant.parse(OutboundKafka.json(r.value()).get("timestamp").asText()).toEpochMilli()).sorted().toList();
            double steadySeconds = (stamps.get(stamps.size() - 1) - stamps.get(0)) / 1000.0;
            double rate = (commands - 1) / Math.max(steadySeconds, 0.001);
            // the middle 80%: without the bridge's first seconds (connections, JIT of its own instance) and the tail
            int from = commands / 10;
            int to = commands * 9 / 10;
            double middleRate = (to - from) / Math.max((stamps.get(to) - stamps.get(from)) / 1000.0, 0.001);
            long delivered = results.stream().filter(r -> "DELIVERED".equals(OutboundKafka.json(r.value()).get("status").asText())).count();
            String order = perKeyOrder(sandbox.alepheeMessages());
            long received = sandbox.alepheeMessages().size();
            long distinct = sandbox.alepheeMessages().stream().map(AlepheeMessage::orderId).distinct().count();
            report.add(String.format("concurrency %d: %d commands over %d keys, sandbox latency %d ms: %.0f commands/s "
                            + "(first to last result %.1f s; %.1f s including bridge start; middle 80%%: %.0f commands/s), "
                            + "%d DELIVERED, %d received (%d distinct), per-key order: %s",
                    concurrency, commands, keys, LATENCY.toMillis(), rate, steadySeconds, wallSeconds, middleRate, delivered, received,
                    distinct, order));
            if (delivered != commands || results.size() != commands || received != commands || distinct != commands || !order.startsWith("kept")) {
                failures.add("concurrency " + concurrency + ": " + report.get(report.size() - 1));
            }
            System.out.println(report.get(report.size() - 1));
            return rate;
        }
    }

    /** orderId = 1,000,000 + key * 1000 + sequence: within a key the sandbox must see increasing sequences. */
    static String perKeyOrder(List<AlepheeMessage> received) {
        Map<Long, Long> last = new HashMap<>();
        int violations = 0;
        for (AlepheeMessage m : received) {
            long key = (m.orderId() - 1_000_000L) / 1_000L;
            long s = m.orderId() % 1_000L;
            Long prev = last.put(key, s);
            if (prev != null && prev >= s) {
                violations++;
            }
        }
        return violations == 0 ? "kept (" + received.size() + " received)" : violations + " VIOLATIONS";
    }

    /** 50 commands with 10 MB documents by path, the bridge in its own JVM at -Xmx192m, prod profile. */
    static String largeAttachments(int count, int size, List<String> failures) throws Exception {
        Path dir = Files.createTempDirectory("bench-attachments");
        byte[] doc = new byte[size];
        new Random(42).nextBytes(doc);
        Files.write(dir.resolve("big.pdf"), doc);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(doc));
        doc = null;
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("bridge.attachment.dir", dir.toString());
            Process bridge = startProd(props);
            try {
                kafka.awaitTopics();
                for (int i = 0; i < count; i++) {
                    kafka.sendNoWait("big-" + i, "{\"channel\":\"alephee\",\"orderId\":" + (2_000_000 + i)
                            + ",\"reason\":3,\"content\":\"invoice\",\"attachment\":{\"path\":\"big.pdf\",\"filename\":\"invoice.pdf\"}}");
                }
                kafka.flush();
                long start = System.nanoTime();
                Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                        .until(() -> sandbox.alepheeMessages().size() >= count || !bridge.isAlive());
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> kafka.results(0, Duration.ZERO).size() >= count || !bridge.isAlive());
                int[] verified = {0};
                int[] bad = {0};
                for (AlepheeMessage m : sandbox.alepheeMessages()) {
                    verified[0]++;
                    if (!sha.equals(m.attachmentSha256())) {
                        bad[0]++;
                    }
                }
                List<ConsumerRecord<String, byte[]>> results = kafka.results(count, Duration.ofMinutes(2));
                double seconds = (System.nanoTime() - start) / 1e9;
                long delivered = results.stream().filter(r -> "DELIVERED".equals(OutboundKafka.json(r.value()).get("status").asText())).count();
                String log = Files.readString(logOf(bridge));
                boolean oom = log.contains("OutOfMemoryError");
                String line = String.format("10 MB attachments: %d commands, bridge JVM -Xmx192m prod profile: %d DELIVERED, %d documents "
                                + "received with equal SHA-256 (%d differing), %.1f s, OutOfMemoryError: %s, bridge alive: %s",
                        count, delivered, verified[0] - bad[0], bad[0], seconds, oom ? "YES" : "no", bridge.isAlive());
                if (delivered != count || bad[0] > 0 || verified[0] != count || oom) {
                    failures.add(line);
                }
                return line;
            } finally {
                bridge.destroyForcibly().waitFor();
            }
        }
    }

    private static final Map<Process, Path> LOGS = new HashMap<>();

    private static Path logOf(Process p) {
        return LOGS.get(p);
    }

    /** Like BridgeProcess, but -Xmx192m and the prod profile with every required setting given. */
    private static Process startProd(Map<String, String> props) throws IOException {
        Path log = Files.createTempFile("bench-bridge", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-cp", System.getProperty("java.class.path")));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dbridge.http-port=0");
        cmd.addAll(List.of("io.marketplacebridge.Main", "--profile", "prod"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("CAMEL_MAIN_PROFILE");
        Process p = pb.start();
        LOGS.put(p, log);
        Awaitility.await("bridge started").atMost(Duration.ofSeconds(90)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("bridge exited:\n" + Files.readString(log));
            }
            return Files.readString(log).contains("marketplace-bridge is running");
        });
        return p;
    }

    /** kill -9 twice while the commands stream through; counts results per command and double sends. */
    static String killTwice(int count, List<String> failures) throws Exception {
        KillScenario.Outcome o = KillScenario.run(count, 50, LATENCY);
        String line = String.format("kill -9 twice (at %s results) during %d commands: %d results, %d commands with exactly one result, "
                        + "%d with more than one, %d without; %d re-sends at the sandbox (bound %d; %d sends in all)",
                o.resultsAtKills(), count, o.results().size(), o.withExactlyOneResult(), o.withSeveralResults(),
                count - o.resultsPerSource().size(), o.resends(), o.resendBound(), o.sends());
        if (o.withExactlyOneResult() != count || o.resends() > o.resendBound() || o.sendsPerOrder().size() != count) {
            failures.add(line);
        }
        return line;
    }
}
