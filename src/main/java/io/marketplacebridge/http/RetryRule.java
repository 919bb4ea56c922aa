package io.marketplacebridge.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.marketplacebridge.config.BridgeSettings;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The one rule deciding whether a failed remote call is tried again (the {@code retryWhile} of
 * routes/error-handling.yaml, bean {@code retryRule}), and when.
 * <ul>
 *   <li>Retried: 5xx, 408, 429, timeouts and connection errors (any {@link IOException}).
 *       Not retried: other 4xx, 3xx (redirects are not followed), anything else.</li>
 *   <li>Never once the exchange carries {@value #RELEASED}{@code =true}.</li>
 *   <li>Budget: outbound calls until {@code BRIDGE_OUTBOUND_RETRY_TIMEOUT} after the exchange was created (one
 *       exchange per command), so no attempt starts later than that; calls whose exchange has
 *       {@value #RETRY_BY_COUNT}{@code =true} (inbound, where the next poll retries anyway) at most
 *       {@code BRIDGE_HTTP_MAX_RETRIES} times.</li>
 *   <li>When: exponential back-off from {@code BRIDGE_HTTP_RETRY_DELAY} with jitter, capped by
 *       {@code BRIDGE_HTTP_MAX_RETRY_DELAY}; at least what the remote asked (Retry-After, x-ratelimit-reset).</li>
 * </ul>
 */
public final class RetryRule implements Predicate {

    /** Exchange property: true once the caller released the call; no attempt starts after that. */
    public static final String RELEASED = "bridge.released";
    /** Exchange property: true to spend the retry budget by count ({@code BRIDGE_HTTP_MAX_RETRIES}), not by time. */
    public static final String RETRY_BY_COUNT = "retryByCount";

    private final Duration outboundBudget;
    private final int maxRetries;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;

    public RetryRule(Duration outboundBudget, int maxRetries, Duration retryDelay, Duration maxRetryDelay) {
        this.outboundBudget = outboundBudget;
        this.maxRetries = maxRetries;
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
    }

    public static RetryRule of(BridgeSettings settings) {
        return new RetryRule(settings.outboundRetryTimeout(), settings.httpMaxRetries(), settings.httpRetryDelay(),
                settings.httpMaxRetryDelay());
    }

    /** Whether an HTTP answer with this status is worth another attempt. */
    public static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Whether this failure of a remote call is worth another attempt (the exchange aside). */
    public static boolean retryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CallReleasedException) {
                return false;
            }
            if (t instanceof HttpOperationFailedException http) {
                return retryableStatus(http.getStatusCode());
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    public static boolean released(Exchange exchange) {
        return exchange.getProperty(RELEASED, false, Boolean.class);
    }

    /**
     * Called by Camel after a failed attempt, once {@link FailedAttempt} has set the delay of the next one: true when
     * that next attempt is to be made.
     */
    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (released(exchange) || !retryable(failure)) {
            return false;
        }
        if (exchange.getProperty(RETRY_BY_COUNT, false, Boolean.class)) {
            return exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= maxRetries;
        }
        long delay = exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, 0L, Long.class);
        return System.currentTimeMillis() + delay < deadline(exchange);
    }

    /** When the outbound budget of this exchange ends (epoch millis). */
    public long deadline(Exchange exchange) {
        return exchange.getClock().getCreated() + outboundBudget.toMillis();
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): exponential back-off with jitter (between
     * half and all of the step), capped by the maximum, and never shorter than what the remote asked for.
     */
    public Duration nextDelay(int retry, Duration remoteAsked) {
        long step = retryDelay.toMillis() << Math.min(Math.max(retry - 1, 0), 30);
        long capped = Math.min(Math.max(step, 0), maxRetryDelay.toMillis());
        long backOff = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        if (remoteAsked == null) {
            return Duration.ofMillis(backOff);
        }
        // a little jitter on top, so callers told the same Retry-After do not come back in one burst
        long asked = remoteAsked.toMillis() + ThreadLocalRandom.current().nextLong(50, 250);
        return Duration.ofMillis(Math.max(backOff, asked));
    }
}
