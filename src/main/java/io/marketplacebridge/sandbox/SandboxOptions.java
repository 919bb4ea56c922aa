package io.marketplacebridge.sandbox;

import java.time.Duration;
import java.util.function.Function;

import org.apache.camel.util.TimeUtils;

/**
 * How the sandbox behaves: the credentials it accepts, its demo data and the faults it injects at random.
 * Built from {@code sandbox.*} settings (env {@code SANDBOX_*}) by {@link #fromSettings}; tests start from
 * {@link #defaults(int)} and adjust with the {@code with*} methods.
 *
 * @param port              listening port, 0 = a free port
 * @param lectronzToken     the bearer token Lectronz accepts
 * @param alepheeApiKey     the {@code API_KEY} Alephee accepts
 * @param alepheeAccountId  the {@code accountId} Alephee accepts
 * @param seedMessages      Lectronz messages created at start ({@code sandbox.seed-messages})
 * @param demoInterval      a new buyer message on a random seeded order every interval, zero = off
 *                          ({@code sandbox.demo-interval})
 * @param latency           added to every request ({@code sandbox.latency})
 * @param errorRate         fraction of requests answered 500 ({@code sandbox.error-rate})
 * @param rateLimitRate     fraction of requests answered 429 with Retry-After ({@code sandbox.rate-limit-rate})
 * @param retryAfterSeconds the Retry-After of injected 429s ({@code sandbox.retry-after}, seconds)
 * @param hangRate          fraction of requests that hang for {@code hangDuration} before answering
 *                          ({@code sandbox.hang-rate})
 * @param hangDuration      how long a hanging request hangs ({@code sandbox.hang-duration})
 * @param alepheeRateLimit  Alephee requests per minute per API key, 0 = unlimited ({@code sandbox.alephee-rate-limit})
 * @param firstMessageId    the id of the first Lectronz message ({@code sandbox.first-message-id}, default 5001)
 */
public record SandboxOptions(int port, String lectronzToken, String alepheeApiKey, String alepheeAccountId,
                             int seedMessages, Duration demoInterval, Duration latency,
                             double errorRate, double rateLimitRate, int retryAfterSeconds,
                             double hangRate, Duration hangDuration, int alepheeRateLimit,
                             long firstMessageId) {

    public static final String DEFAULT_LECTRONZ_TOKEN = "sandbox-lectronz-token";
    public static final String DEFAULT_ALEPHEE_API_KEY = "sandbox-alephee-key";
    public static final String DEFAULT_ALEPHEE_ACCOUNT_ID = "77";

    public SandboxOptions {
        requireRate("sandbox.error-rate", errorRate);
        requireRate("sandbox.rate-limit-rate", rateLimitRate);
        requireRate("sandbox.hang-rate", hangRate);
        if (seedMessages < 0 || retryAfterSeconds < 0 || alepheeRateLimit < 0) {
            throw new IllegalArgumentException("sandbox.seed-messages, sandbox.retry-after and "
                    + "sandbox.alephee-rate-limit must not be negative");
        }
        if (firstMessageId < 1) {
            throw new IllegalArgumentException("sandbox.first-message-id must be at least 1, got " + firstMessageId);
        }
    }

    /** The default credentials, 25 seeded messages, no demo timer, no latency, no faults, 600 Alephee calls/min. */
    public static SandboxOptions defaults(int port) {
        return new SandboxOptions(port, DEFAULT_LECTRONZ_TOKEN, DEFAULT_ALEPHEE_API_KEY, DEFAULT_ALEPHEE_ACCOUNT_ID,
                25, Duration.ZERO, Duration.ZERO, 0, 0, 1, 0, Duration.ofSeconds(60), 600, 5001);
    }

    /**
     * The given credentials plus the optional {@code sandbox.*} keys read through the lookup (null when unset).
     * Durations read like Camel's ({@code 500ms}, {@code 5s}, plain numbers are milliseconds).
     */
    public static SandboxOptions fromSettings(int port, String lectronzToken, String alepheeApiKey,
                                              String alepheeAccountId, Function<String, String> lookup) {
        SandboxOptions d = defaults(port);
        return new SandboxOptions(port,
                orDefault(lectronzToken, d.lectronzToken()),
                orDefault(alepheeApiKey, d.alepheeApiKey()),
                orDefault(alepheeAccountId, d.alepheeAccountId()),
                integer(lookup, "sandbox.seed-messages", d.seedMessages()),
                duration(lookup, "sandbox.demo-interval", d.demoInterval()),
                duration(lookup, "sandbox.latency", d.latency()),
                decimal(lookup, "sandbox.error-rate", d.errorRate()),
                decimal(lookup, "sandbox.rate-limit-rate", d.rateLimitRate()),
                integer(lookup, "sandbox.retry-after", d.retryAfterSeconds()),
                decimal(lookup, "sandbox.hang-rate", d.hangRate()),
                duration(lookup, "sandbox.hang-duration", d.hangDuration()),
                integer(lookup, "sandbox.alephee-rate-limit", d.alepheeRateLimit()),
                whole(lookup, "sandbox.first-message-id", d.firstMessageId()));
    }

    public SandboxOptions withSeedMessages(int n) {
        return new SandboxOptions(port, lectronzToken, alepheeApiKey, alepheeAccountId, n, demoInterval, latency,
                errorRate, rateLimitRate, retryAfterSeconds, hangRate, hangDuration,
                alepheeRateLimit, firstMessageId);
    }

    public SandboxOptions withDemoInterval(Duration interval) {
        return new SandboxOptions(port, lectronzToken, alepheeApiKey, alepheeAccountId, seedMessages, interval,
                latency, errorRate, rateLimitRate, retryAfterSeconds, hangRate, hangDuration,
                alepheeRateLimit, firstMessageId);
    }

    public SandboxOptions withLatency(Duration perRequest) {
        return new SandboxOptions(port, lectronzToken, alepheeApiKey, alepheeAccountId, seedMessages, demoInterval,
                perRequest, errorRate, rateLimitRate, retryAfterSeconds, hangRate, hangDuration,
                alepheeRateLimit, firstMessageId);
    }

    /** Alephee requests per minute per API key; 0 = unlimited. */
    public SandboxOptions withAlepheeRateLimit(int perMinute) {
        return new SandboxOptions(port, lectronzToken, alepheeApiKey, alepheeAccountId, seedMessages, demoInterval,
                latency, errorRate, rateLimitRate, retryAfterSeconds, hangRate, hangDuration,
                perMinute, firstMessageId);
    }

    /** Lectronz message ids start here (the dev profile starts from the clock, see DevEnvironment). */
    public SandboxOptions withFirstMessageId(long id) {
        return new SandboxOptions(port, lectronzToken, alepheeApiKey, alepheeAccountId, seedMessages, demoInterval,
                latency, errorRate, rateLimitRate, retryAfterSeconds, hangRate, hangDuration, alepheeRateLimit, id);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String value(Function<String, String> lookup, String key) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int integer(Function<String, String> lookup, String key, int fallback) {
        long v = whole(lookup, key, fallback);
        if (v != (int) v) {
            throw new IllegalArgumentException(key + " is too large, got " + v);
        }
        return (int) v;
    }

    private static long whole(Function<String, String> lookup, String key, long fallback) {
        return parsed(lookup, key, fallback, Long::parseLong, "a whole number");
    }

    private static double decimal(Function<String, String> lookup, String key, double fallback) {
        return parsed(lookup, key, fallback, Double::parseDouble, "a number between 0 and 1");
    }

    private static Duration duration(Function<String, String> lookup, String key, Duration fallback) {
        return parsed(lookup, key, fallback, v -> Duration.ofMillis(TimeUtils.toMilliSeconds(v)),
                "a duration like 500ms or 5s");
    }

    /** The key's value read by the parser, the fallback when unset; a value it cannot read names the key. */
    private static <T> T parsed(Function<String, String> lookup, String key, T fallback, Function<String, T> parser,
                                String expected) {
        String v = value(lookup, key);
        try {
            return v == null ? fallback : parser.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be " + expected + ", got '" + v + "'");
        }
    }

    private static void requireRate(String key, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(key + " must be between 0 and 1, got " + rate);
        }
    }
}
