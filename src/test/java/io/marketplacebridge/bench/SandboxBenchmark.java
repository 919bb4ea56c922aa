package io.marketplacebridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;

/**
 * How fast the sandbox itself is: {@code calls} requests (mixed list pages, details, Alephee sends) at a fixed
 * latency from 4, 16 and 32 concurrent clients. Ideal time = calls * latency / clients; the overhead is ours.
 * Arguments: calls (10000), latency ms (20), client counts (4,16,32).
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test
 *     -Dmain.class=io.marketplacebridge.bench.SandboxBenchmark [-Dexec.args="10000 20 16,32"]</pre>
 * ({@code -Dmain.class}: the pom pins exec's mainClass to {@code ${main.class}}, so -Dexec.mainClass is ignored.)
 */
public final class SandboxBenchmark {

    private SandboxBenchmark() {
    }

    public static void main(String... args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(5_000)
                .withLatency(Duration.ofMillis(latencyMs)).withAlepheeRateLimit(0))) {
            String counts = args.length > 2 ? args[2] : "4,16,32";
            for (int clients : Arrays.stream(counts.split(",")).mapToInt(Integer::parseInt).toArray()) {
                run(sandbox, calls, clients, latencyMs);
            }
        }
    }

    private static void run(Sandbox sandbox, int calls, int clients, int latencyMs) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = "Bearer " + SandboxOptions.DEFAULT_LECTRONZ_TOKEN;
        String alephee = sandbox.alepheeBaseUrl() + "/orders/900123/messages?API_KEY="
                + SandboxOptions.DEFAULT_ALEPHEE_API_KEY + "&accountId=" + SandboxOptions.DEFAULT_ALEPHEE_ACCOUNT_ID;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long[] micros = new long[calls];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                    HttpRequest request = switch (i % 3) {
                        case 0 -> HttpRequest.newBuilder(URI.create(sandbox.lectronzBaseUrl()
                                + "/messages?limit=50&offset=" + (i % 4_000))).header("Authorization", token).build();
                        case 1 -> HttpRequest.newBuilder(URI.create(sandbox.lectronzBaseUrl() + "/messages/"
                                + (5001 + i % 5_000))).header("Authorization", token).build();
                        default -> HttpRequest.newBuilder(URI.create(alephee)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi " + i
                                        + "\",\"messageOptions\":4}")).build();
                    };
                    long t = System.nanoTime();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    micros[i] = (System.nanoTime() - t) / 1_000;
                    if (r.statusCode() >= 300) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        pool.shutdown();
        Arrays.sort(micros);
        long ideal = (long) calls * latencyMs / clients;
        System.out.printf("%d calls, %d ms latency, %2d clients: %6d ms (ideal %6d ms, overhead %4.1f%%), "
                        + "%6.0f calls/s, p50 %.1f ms, p99 %.1f ms, failures %d%n",
                calls, latencyMs, clients, elapsedMs, ideal, 100.0 * (elapsedMs - ideal) / ideal,
                calls * 1000.0 / elapsedMs, micros[calls / 2] / 1000.0, micros[calls * 99 / 100] / 1000.0,
                failures.get());
    }
}
