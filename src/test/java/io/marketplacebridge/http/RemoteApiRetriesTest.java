package io.marketplacebridge.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared remote-api route configuration, through the real remote routes, against WireMock. */
class RemoteApiRetriesTest {

    private static final String ORDER_MESSAGES = "/alephee/v2/orders/900123/messages";
    private static final String LIST = "/lectronz/api/v1/messages";

    private RemoteApiRoutes apis;

    @BeforeEach
    void start() throws Exception {
        apis = RemoteApiRoutes.start(Map.of("bridge.http.max-retries", "3"));
    }

    @AfterEach
    void stop() {
        apis.close();
    }

    /** The remote answers these statuses in turn (a 429 with Retry-After: 1). */
    private void answers(Supplier<MappingBuilder> request, int... statuses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < statuses.length; i++) {
            String next = "step" + (i + 1);
            var response = aResponse().withStatus(statuses[i]).withBody("answer " + i);
            if (statuses[i] == 429) {
                response = response.withHeader("Retry-After", "1");
            }
            apis.remote.stubFor(request.get().inScenario("s").whenScenarioStateIs(state).willReturn(response).willSetStateTo(next));
            state = next;
        }
    }

    private Exchange sendToAlephee() {
        return apis.template.send("direct:alephee-send", ex -> {
            ex.setProperty(RemoteCall.PATH, "/orders/900123/messages");
            ex.setProperty(RemoteCall.QUERY, "API_KEY=" + RemoteApiRoutes.API_KEY + "&accountId=77");
            ex.getIn().setBody("""
                    {"message": "hi"}""");
        });
    }

    private static String body(Exchange ex) {
        return new String(ex.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() {
        answers(() -> post(urlPathEqualTo(ORDER_MESSAGES)), 500, 503, 200);
        Exchange done = sendToAlephee();
        assertNull(done.getException());
        assertEquals("answer 2", done.getMessage().getBody(String.class));
        apis.remote.verify(3, postRequestedFor(urlPathEqualTo(ORDER_MESSAGES)));
    }

    @Test
    void tooManyRequestsWaitsAtLeastRetryAfter() {
        answers(() -> post(urlPathEqualTo(ORDER_MESSAGES)), 429, 200);
        assertNull(sendToAlephee().getException());
        List<LoggedRequest> calls = apis.remote.findAll(postRequestedFor(urlPathEqualTo(ORDER_MESSAGES)));
        assertEquals(2, calls.size());
        Duration waited = Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant());
        assertTrue(waited.toMillis() >= 1000, "retried after " + waited.toMillis() + " ms despite Retry-After: 1");
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        answers(() -> post(urlPathEqualTo(ORDER_MESSAGES)), 400, 200);
        Exchange done = sendToAlephee();
        assertEquals(400, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
        apis.remote.verify(1, postRequestedFor(urlPathEqualTo(ORDER_MESSAGES)));
    }

    @Test
    void inboundCallsEndAfterMaxRetries() {
        answers(() -> get(urlPathEqualTo(LIST)), 500, 500, 500, 500, 200);
        Exchange done = apis.template.send("direct:lectronz-list-messages", ex -> {
            ex.setProperty(RetryRule.RETRY_BY_COUNT, true);
            ex.setProperty("limit", 20);
            ex.setProperty("offset", 0);
        });
        assertEquals(500, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
        apis.remote.verify(4, getRequestedFor(urlPathEqualTo(LIST)));
        LoggedRequest first = apis.remote.findAll(getRequestedFor(urlPathEqualTo(LIST))).get(0);
        assertEquals(LIST + "?limit=20&offset=0", first.getUrl());
        assertEquals("Bearer " + RemoteApiRoutes.TOKEN, first.getHeader("Authorization"), "the settings' token when the caller names none");
    }

    @Test
    void theCallersTokenIsSent() {
        String message = """
                {"id": 5001, "content": "hello"}""";
        apis.remote.stubFor(get(urlPathEqualTo(LIST + "/5001")).willReturn(aResponse().withStatus(200).withBody(message)));
        Exchange done = apis.template.send("direct:lectronz-get-message", ex -> {
            ex.setProperty(RemoteCall.LECTRONZ_TOKEN, "token-of-shop-eu");
            ex.setProperty("messageId", 5001);
        });
        assertNull(done.getException());
        assertEquals(message, body(done));
        LoggedRequest request = apis.remote.findAll(getRequestedFor(urlPathEqualTo(LIST + "/5001"))).get(0);
        assertEquals("Bearer token-of-shop-eu", request.getHeader("Authorization"));
        assertEquals(LIST + "/5001", request.getUrl(), "no query string at all");
    }

    @Test
    void retryAfterParsesSecondsAndDates() {
        assertEquals(Duration.ofSeconds(2), RetryAfter.parse("2"));
        assertEquals(Duration.ofMillis(1500), RetryAfter.parse("1.5"));
        assertEquals(null, RetryAfter.parse("soon"));
        assertTrue(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT").isZero(), "a past date means now");
    }
}
