package io.marketplacebridge.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.http.CallReleasedException;
import io.marketplacebridge.kafka.KafkaTx;
import io.marketplacebridge.observe.BridgeMetrics;
import org.apache.camel.Exchange;

/**
 * Alephee's rate limit, per API key and shared by all outbound threads: when a response says
 * {@code x-ratelimit-remaining: 0}, no further request with that key starts before {@code x-ratelimit-reset}
 * seconds have passed, so 429s stay rare. Keys are known here by a short hash only.
 */
public final class AlepheeRateGate {

    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    /** Exchange property: {@link #keyOf} the API key of the call, set with the request. */
    public static final String KEY = "alepheeRateKey";

    private final Clock clock;
    private final BridgeMetrics metrics;
    private final Map<String, Instant> openAt = new ConcurrentHashMap<>();

    public AlepheeRateGate(Clock clock, BridgeMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    /** API key to its name: a hash per command would cost more than the rest of the gate. */
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    /** How the gate names an API key: a short hash, never the key. */
    public static String keyOf(String apiKey) {
        return NAMES.computeIfAbsent(apiKey == null ? "" : apiKey, Accounts::shortHash);
    }

    /**
     * Blocks until the gate is open (a route step before each Alephee call); gives up when the consumer releases
     * the command ({@code bridge.released}), so a stopping instance does not wait out a rate-limit window.
     */
    public void awaitTurn(Exchange exchange) throws InterruptedException {
        String key = exchange.getProperty(KEY, "", String.class);
        Instant start = null; // set when the gate is closed: only real waits are measured
        while (true) {
            if (exchange.getProperty(KafkaTx.RELEASED, false, Boolean.class)) {
                throw new CallReleasedException("Released while waiting for the Alephee rate limit");
            }
            long waitMs = Duration.between(clock.instant(), openAt(key)).toMillis();
            if (waitMs <= 0) {
                if (start != null && metrics != null) {
                    metrics.rateGateWait(CommandExchange.account(exchange), Duration.between(start, clock.instant()));
                }
                return;
            }
            start = start == null ? clock.instant() : start;
            Thread.sleep(Math.min(waitMs, 250));
        }
    }

    /** Reads the rate-limit headers of a response to the exchange's call (any status). */
    public void observe(Exchange exchange, Map<String, ?> headers) {
        observe(exchange.getProperty(KEY, "", String.class), headers);
    }

    /** Reads the rate-limit headers of a response (any status); closes the gate when none remain. */
    public void observe(String key, Map<String, ?> headers) {
        if (headers == null) {
            return;
        }
        String remaining = header(headers, "x-ratelimit-remaining");
        String reset = header(headers, "x-ratelimit-reset");
        if (remaining == null || reset == null) {
            return;
        }
        try {
            if (Long.parseLong(remaining.trim()) > 0) {
                return;
            }
            double seconds = Double.parseDouble(reset.trim());
            Duration wait = Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000));
            wait = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
            Instant until = clock.instant().plus(wait);
            openAt.merge(key, until, (was, now) -> now.isAfter(was) ? now : was);
        } catch (NumberFormatException ignored) {
            // a header we cannot read is no reason to stop sending
        }
    }

    public Instant openAt(String key) {
        return openAt.getOrDefault(key, Instant.EPOCH);
    }

    private static String header(Map<String, ?> headers, String name) {
        for (Map.Entry<String, ?> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
                Object v = e.getValue();
                return v instanceof Iterable<?> it && it.iterator().hasNext() ? String.valueOf(it.iterator().next()) : String.valueOf(v);
            }
        }
        return null;
    }
}
