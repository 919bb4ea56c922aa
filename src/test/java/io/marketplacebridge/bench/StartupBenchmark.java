package io.marketplacebridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;

/**
 * Start-up benchmark (not a test): the time from launching {@code java -jar target/marketplace-bridge.jar} in the
 * prod profile to its first Lectronz list call as the sandbox sees it, and the peak RSS, against a broker and a
 * sandbox in this JVM (an external broker to the bridge). One unreported start first creates the topics and some
 * state, as on a redeploy. Needs the jar: {@code mvn -q package -DskipTests} first.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false \
 *   -Dexec.mainClass=io.marketplacebridge.bench.StartupBenchmark [-Dbench.runs=10]
 * </pre>
 * With {@code -Dbench.record-classes=src/main/resources/startup-classes.txt} it also records, in one more start,
 * the classes the bridge loads from its jar up to its first poll: the list {@code StartupClasses} preloads.
 */
public final class StartupBenchmark {

    private static final Pattern LOADED = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*?(\\S+) source: (\\S+)");

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/marketplace-bridge.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn -q package -DskipTests first");
        }
        int runs = Integer.getInteger("bench.runs", 10);
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();
        List<Double> seconds = new ArrayList<>();
        List<Long> rssMb = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(100))) {
            start(jar, bootstrap, sandbox, List.of()); // creates the topics and the state of a deployment
            for (int i = 1; i <= runs; i++) {
                long[] r = start(jar, bootstrap, sandbox, List.of());
                seconds.add(r[0] / 1e9);
                rssMb.add(r[1]);
                System.out.printf(Locale.ROOT, "start %d: first list call %.2f s after launch, peak RSS %d MB%n", i,
                        r[0] / 1e9, r[1]);
            }
            String record = System.getProperty("bench.record-classes");
            if (record != null) {
                Path log = Files.createTempFile("class-load", ".txt");
                start(jar, bootstrap, sandbox, List.of("-Xlog:class+load:file=" + log + ":uptime"));
                int n = writeClassList(log, Path.of(record));
                System.out.println("recorded " + n + " classes to " + record);
            }
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%n==== StartupBenchmark ====%n%d starts: first list call median %.2f s (%.2f-%.2f), "
                        + "peak RSS %d-%d MB%n", runs, sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1), rssMb.stream().mapToLong(Long::longValue).min().orElse(0),
                rssMb.stream().mapToLong(Long::longValue).max().orElse(0));
        System.exit(0);
    }

    /** One start: returns nanoseconds from launch to the first list call, and the peak RSS in MB. */
    private static long[] start(Path jar, String bootstrap, Sandbox sandbox, List<String> jvmOptions)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("bridge-start", ".log").toFile());
        pb.environment().put("CAMEL_MAIN_PROFILE", "prod");
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("LECTRONZ_BASE_URL", sandbox.lectronzBaseUrl());
        pb.environment().put("LECTRONZ_API_TOKEN", SandboxOptions.DEFAULT_LECTRONZ_TOKEN);
        pb.environment().put("ALEPHEE_BASE_URL", sandbox.alepheeBaseUrl());
        pb.environment().put("ALEPHEE_API_KEY", SandboxOptions.DEFAULT_ALEPHEE_API_KEY);
        pb.environment().put("ALEPHEE_ACCOUNT_ID", SandboxOptions.DEFAULT_ALEPHEE_ACCOUNT_ID);
        pb.environment().put("BRIDGE_ALLOW_HTTP", "true");
        pb.environment().put("BRIDGE_HTTP_PORT", "0");
        long listsBefore = sandbox.calls(Endpoint.LECTRONZ_LIST);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            while (sandbox.calls(Endpoint.LECTRONZ_LIST) == listsBefore) {
                if (!p.isAlive() || System.nanoTime() - t0 > 60_000_000_000L) {
                    throw new IllegalStateException("the bridge made no list call (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
                }
                Thread.sleep(2);
            }
            long firstCall = System.nanoTime() - t0;
            Thread.sleep(6_000); // the first poll's publish and the outbound consumer's start count for the peak
            return new long[] {firstCall, peakRssMb(p.pid())};
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static long peakRssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** The classes loaded from the jar up to a second after the first scan began, in load order, logging excluded. */
    private static int writeClassList(Path log, Path out) throws IOException {
        List<String[]> loaded = new ArrayList<>();
        double scanAt = Double.MAX_VALUE;
        for (String line : Files.readAllLines(log)) {
            Matcher m = LOADED.matcher(line);
            if (m.find()) {
                loaded.add(new String[] {m.group(1), m.group(2), m.group(3)});
                if (m.group(2).equals("io.marketplacebridge.inbound.MessageScan")) {
                    scanAt = Math.min(scanAt, Double.parseDouble(m.group(1)));
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (String[] l : loaded) {
            String name = l[1];
            if (Double.parseDouble(l[0]) <= scanAt + 1.0 && l[2].startsWith("file:") && !name.contains("$$")
                    && !name.contains("/") && !name.startsWith("org.apache.logging.") && !name.startsWith("org.slf4j.")) {
                names.add(name);
            }
        }
        List<String> text = new ArrayList<>(List.of(
                "# The classes a prod start of marketplace-bridge loads from its jar, in load order, up to its first Lectronz poll",
                "# (logging excluded: the main thread sets it up first). Loaded in the background at launch (StartupClasses).",
                "# Recorded with: mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false \\",
                "#   -Dexec.mainClass=io.marketplacebridge.bench.StartupBenchmark -Dbench.record-classes=src/main/resources/startup-classes.txt"));
        text.addAll(names);
        Files.write(out, text);
        return names.size();
    }
}
