package io.marketplacebridge.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Runs when a remote call fails ({@code onExceptionOccurred}): when the remote said how long to wait
 * ({@code Retry-After}, or Alephee's {@code x-ratelimit-reset}), the next redelivery waits at least that
 * long plus a little jitter; otherwise the exponential back-off of the route configuration applies.
 */
public final class RetryAfter implements Processor {

    /** Upper bound, so a hostile or broken header cannot park a command for hours. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Duration wait = cause instanceof HttpOperationFailedException failed ? waitFrom(failed) : null;
        if (wait == null) {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            long jitter = ThreadLocalRandom.current().nextLong(50, 250);
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis() + jitter);
        }
    }

    /** How long the remote asked us to wait, or null when it did not say. */
    public static Duration waitFrom(HttpOperationFailedException failed) {
        Map<String, String> headers = failed.getResponseHeaders();
        if (headers == null) {
            return null;
        }
        Duration d = parse(header(headers, "Retry-After"));
        if (d == null) {
            d = parse(header(headers, "x-ratelimit-retryafter"));
        }
        if (d == null && failed.getStatusCode() == 429) {
            d = parse(header(headers, "x-ratelimit-reset"));
        }
        return d == null ? null : (d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d);
    }

    static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Seconds (possibly fractional) or an HTTP date. */
    static Duration parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
