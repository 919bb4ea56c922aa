package io.marketplacebridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FailedAttemptTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private final FailedAttempt hook = new FailedAttempt(
            new RetryRule(Duration.ofMinutes(15), 3, Duration.ofMillis(100), Duration.ofSeconds(1)));

    @AfterAll
    static void close() {
        CAMEL.stop();
    }

    private static Exchange failedWith(Exception e) {
        Exchange ex = new DefaultExchange(CAMEL);
        ex.setException(e);
        ex.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        ex.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1);
        return ex;
    }

    @Test
    void givenARedirectThenNeitherTheQueryNorTheLocationSurvive() {
        HttpOperationFailedException original = new HttpOperationFailedException(
                "https://api.alephcrm.com/v2/orders/1/messages?API_KEY=s3cret&accountId=77", 302, "Found",
                "https://evil.example/steal?API_KEY=s3cret", Map.of("Location", "https://evil.example/steal?API_KEY=s3cret",
                        "x-ratelimit-remaining", "9"), "moved");
        Exchange ex = failedWith(original);
        hook.process(ex);
        HttpOperationFailedException safe = assertInstanceOf(HttpOperationFailedException.class, ex.getException());
        assertSame(safe, ex.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(302, safe.getStatusCode());
        assertEquals("moved", safe.getResponseBody());
        assertEquals("9", safe.getResponseHeaders().get("x-ratelimit-remaining"));
        assertEquals("https://api.alephcrm.com/v2/orders/1/messages", safe.getUri());
        assertNull(safe.getRedirectLocation());
        String all = safe + " " + safe.getResponseHeaders();
        assertFalse(all.contains("s3cret") || all.contains("evil"), all);
    }

    @Test
    void givenAReleasedCallThenARetryableFailureBecomesCallReleased() {
        Exchange ex = failedWith(new HttpOperationFailedException("https://x/y", 503, "busy", null, Map.of(), ""));
        ex.setProperty(RetryRule.RELEASED, true);
        hook.process(ex);
        assertInstanceOf(CallReleasedException.class, ex.getException());
        assertTrue(ex.getException().getMessage().contains("HTTP 503"), ex.getException().getMessage());

        Exchange refused = failedWith(new HttpOperationFailedException("https://x/y", 404, "gone", null, Map.of(), ""));
        refused.setProperty(RetryRule.RELEASED, true);
        hook.process(refused);
        assertEquals(404, assertInstanceOf(HttpOperationFailedException.class, refused.getException()).getStatusCode(),
                "a definite answer stays what it is");
    }

    @Test
    void givenAFailureThenTheNextDelayIsSetAtLeastRetryAfter() {
        Exchange limited = failedWith(new HttpOperationFailedException("https://x/y", 429, "slow down", null,
                Map.of("Retry-After", "2"), ""));
        hook.process(limited);
        assertTrue(limited.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class) >= 2000);

        Exchange refused = failedWith(new ConnectException("Connection refused"));
        hook.process(refused);
        long d = refused.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class);
        assertTrue(d >= 50 && d <= 100, "first back-off " + d);
        assertInstanceOf(ConnectException.class, refused.getException());
    }
}
