package io.marketplacebridge.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.marketplacebridge.http.CallReleasedException;
import io.marketplacebridge.kafka.KafkaTx;
import org.apache.camel.Exchange;

/**
 * Alephee's rate limit, shared by all outbound threads: when a response says
 * {@code x-ratelimit-remaining: 0}, no further Alephee request starts before {@code x-ratelimit-reset}
 * seconds have passed, so 429s stay rare.
 */
public final class AlepheeRateGate {

    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private final Clock clock;
    private volatile Instant openAt = Instant.EPOCH;

    public AlepheeRateGate(Clock clock) {
        this.clock = clock;
    }

    /**
     * Blocks until the gate is open (a route step before each Alephee call); gives up when the consumer releases
     * the command ({@code bridge.released}), so a stopping instance does not wait out a rate-limit window.
     */
    public void awaitTurn(Exchange exchange) throws InterruptedException {
        while (true) {
            if (exchange.getProperty(KafkaTx.RELEASED, false, Boolean.class)) {
                throw new CallReleasedException("Released while waiting for the Alephee rate limit");
            }
            long waitMs = Duration.between(clock.instant(), openAt).toMillis();
            if (waitMs <= 0) {
                return;
            }
            Thread.sleep(Math.min(waitMs, 250));
        }
    }

    /** Reads the rate-limit headers of a response (any status); closes the gate when none remain. */
    public void observe(Map<String, ?> headers) {
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
            synchronized (this) {
                if (until.isAfter(openAt)) {
                    openAt = until;
                }
            }
        } catch (NumberFormatException ignored) {
            // a header we cannot read is no reason to stop sending
        }
    }

    public Instant openAt() {
        return openAt;
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
