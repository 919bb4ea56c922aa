package io.marketplacebridge.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Runs after every failed attempt of a remote call ({@code onExceptionOccurred}, bean {@code failedAttempt}), before
 * {@link RetryRule} decides on another one:
 * <ol>
 *   <li>the failure is replaced by one without secrets: the request URI loses its query (Alephee's API_KEY) and a
 *       redirect loses its Location, so neither a log line nor a result can print them;</li>
 *   <li>a call released by its caller ({@code bridge.released}) ends with {@link CallReleasedException} instead of a
 *       retryable failure;</li>
 *   <li>the delay of the next attempt is set ({@link RetryRule#nextDelay}), at least what the remote asked.</li>
 * </ol>
 */
public final class FailedAttempt implements Processor {

    private final RetryRule rule;

    public FailedAttempt(RetryRule rule) {
        this.rule = rule;
    }

    @Override
    public void process(Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        }
        Exception safe = failure instanceof HttpOperationFailedException http ? withoutSecrets(http) : failure;
        if (RetryRule.released(exchange) && RetryRule.retryable(safe)) {
            safe = new CallReleasedException("The call was released before it succeeded; last failure: " + describe(safe));
        }
        if (safe != failure) {
            exchange.setException(safe);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, safe);
        }
        int retry = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        Duration asked = safe instanceof HttpOperationFailedException http ? RetryAfter.waitFrom(http) : null;
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, rule.nextDelay(retry, asked).toMillis());
    }

    /** The same failure (status, body, headers) without the request's query string and the redirect target. */
    public static HttpOperationFailedException withoutSecrets(HttpOperationFailedException e) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.getResponseHeaders() != null) {
            e.getResponseHeaders().forEach((name, value) -> {
                if (name != null && !name.equalsIgnoreCase("Location") && !name.equalsIgnoreCase("Content-Location")) {
                    headers.put(name, value);
                }
            });
        }
        return new HttpOperationFailedException(safeUri(e.getUri()), e.getStatusCode(), e.getStatusText(), null,
                headers, e.getResponseBody());
    }

    /** Scheme, host, port and path: a query may hold a key, user info a password. */
    public static String safeUri(String uri) {
        if (uri == null) {
            return null;
        }
        try {
            URI u = URI.create(uri);
            if (u.getHost() == null) {
                return "(remote API)";
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(remote API)";
        }
    }

    /** A failure in words that hold no secret: the HTTP status, or the kind of error. */
    static String describe(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode();
        }
        return failure == null ? "unknown" : failure.getClass().getSimpleName();
    }
}
