package io.marketplacebridge.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * How long a remote asked the bridge to wait before calling again: {@code Retry-After} (seconds or an HTTP date),
 * Alephee's {@code x-ratelimit-retryafter}, or on a 429 its {@code x-ratelimit-reset}.
 */
public final class RetryAfter {

    /** Upper bound, so a hostile or broken header cannot park a command for hours. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private RetryAfter() {
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
