package io.marketplacebridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryRuleTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private final RetryRule rule = new RetryRule(Duration.ofMinutes(15), 3, Duration.ofMillis(500), Duration.ofSeconds(30));

    @AfterAll
    static void close() {
        CAMEL.stop();
    }

    private static HttpOperationFailedException http(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("https://api.example/x", status, "status", null, headers, "body");
    }

    private static Exchange failed(Throwable failure) {
        Exchange ex = new DefaultExchange(CAMEL);
        ex.setException(failure);
        ex.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1);
        return ex;
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 599})
    void givenAnAnswerWorthRetryingThenItIsRetried(int status) {
        assertTrue(RetryRule.retryableStatus(status));
        assertTrue(rule.matches(failed(http(status, Map.of()))));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308, 400, 401, 403, 404, 409, 412, 422})
    void givenARedirectOrAnotherClientErrorThenItIsNotRetried(int status) {
        assertFalse(RetryRule.retryableStatus(status));
        assertFalse(rule.matches(failed(http(status, Map.of()))));
    }

    @Test
    void givenTimeoutsAndConnectionErrorsThenTheyAreRetried() {
        assertTrue(RetryRule.retryable(new SocketTimeoutException("Read timed out")));
        assertTrue(RetryRule.retryable(new ConnectException("Connection refused")));
        assertTrue(RetryRule.retryable(new NoHttpResponseException("failed to respond")));
        assertTrue(RetryRule.retryable(new ConnectTimeoutException("Connect timed out")));
        assertTrue(RetryRule.retryable(new RuntimeCamelException(new IOException("broken pipe"))), "wrapped");
    }

    @Test
    void givenAnythingElseThenItIsNotRetried() {
        assertFalse(RetryRule.retryable(new IllegalArgumentException("bug")));
        assertFalse(RetryRule.retryable(null));
        assertFalse(RetryRule.retryable(new CallReleasedException("released")));
        assertFalse(rule.matches(failed(new IllegalStateException("bug"))));
    }

    @Test
    void givenAReleasedCallThenNothingIsRetried() {
        Exchange ex = failed(http(503, Map.of()));
        ex.setProperty(RetryRule.RELEASED, true);
        assertFalse(rule.matches(ex));
    }

    @Test
    void givenACallRetriedByCountThenMaxRetriesBound() {
        Exchange ex = failed(http(503, Map.of()));
        ex.setProperty(RetryRule.RETRY_BY_COUNT, true);
        ex.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 3);
        assertTrue(rule.matches(ex), "third retry of at most 3");
        ex.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 4);
        assertFalse(rule.matches(ex));
    }

    @Test
    void givenAnOutboundCallThenNoAttemptStartsAfterTheBudget() {
        RetryRule short1s = new RetryRule(Duration.ofSeconds(1), 0, Duration.ofMillis(10), Duration.ofMillis(10));
        Exchange ex = failed(http(503, Map.of()));
        ex.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 50);
        ex.getIn().setHeader(Exchange.REDELIVERY_DELAY, 10L);
        assertTrue(short1s.matches(ex), "a count means nothing for an outbound call");
        ex.getIn().setHeader(Exchange.REDELIVERY_DELAY, 5_000L);
        assertFalse(short1s.matches(ex), "a next attempt 5 s away would start after the 1 s budget");
        assertEquals(ex.getClock().getCreated() + 1000, short1s.deadline(ex));
    }

    @Test
    void givenRetriesThenTheBackOffGrowsWithJitterUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            long first = rule.nextDelay(1, null).toMillis();
            assertTrue(first >= 250 && first <= 500, "first retry " + first);
            long third = rule.nextDelay(3, null).toMillis();
            assertTrue(third >= 1000 && third <= 2000, "third retry " + third);
            long late = rule.nextDelay(40, null).toMillis();
            assertTrue(late >= 15_000 && late <= 30_000, "capped " + late);
        }
    }

    @Test
    void givenTheRemoteAskedToWaitThenTheDelayIsAtLeastThat() {
        for (int i = 0; i < 200; i++) {
            long d = rule.nextDelay(1, Duration.ofSeconds(7)).toMillis();
            assertTrue(d >= 7_000 && d < 7_300, "Retry-After 7 s gave " + d);
            assertTrue(rule.nextDelay(1, Duration.ofMinutes(2)).toMillis() >= 120_000, "beyond the back-off cap too");
        }
        assertEquals(Duration.ofSeconds(3), RetryAfter.waitFrom(http(429, Map.of("x-ratelimit-reset", "3"))));
        assertEquals(Duration.ofSeconds(4), RetryAfter.waitFrom(http(503, Map.of("retry-after", "4"))));
        assertEquals(null, RetryAfter.waitFrom(http(503, Map.of("x-ratelimit-reset", "3"))), "reset alone says nothing on a 503");
    }
}
