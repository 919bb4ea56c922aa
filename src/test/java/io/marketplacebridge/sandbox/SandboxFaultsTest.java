package io.marketplacebridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxFaultsTest {

    private Sandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(5));
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private HttpResponse<String> alepheeSend() {
        return client.alepheeJson(client.alepheeUrl(1), "{\"message\":\"hi\",\"messageOptions\":4}");
    }

    @Test
    void failNextOnAPathPrefixThenRecovers() {
        sandbox.failNext(Sandbox.LECTRONZ + "/messages", 2, 503);
        HttpResponse<String> first = client.get("/messages");
        assertEquals(503, first.statusCode());
        assertTrue(SandboxClient.json(first).has("errors"));
        assertEquals(200, alepheeSend().statusCode()); // other path untouched
        assertEquals(503, client.get("/messages/5001").statusCode());
        assertEquals(200, client.get("/messages").statusCode());
        assertEquals(2, sandbox.calls(Endpoint.LECTRONZ_LIST)); // faulted calls count too
    }

    @Test
    void alepheeInjected500IsPlainTextAnd4xxIsStatusJson() {
        sandbox.failNext(Sandbox.ALEPHEE, 1, 500);
        sandbox.failNext(Sandbox.ALEPHEE, 1, 403);
        HttpResponse<String> fiveHundred = alepheeSend();
        assertEquals(500, fiveHundred.statusCode());
        assertTrue(fiveHundred.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(fiveHundred.headers().firstValue("x-ratelimit-limit").isPresent());
        HttpResponse<String> forbidden = alepheeSend();
        assertEquals(403, forbidden.statusCode());
        assertEquals(403, SandboxClient.json(forbidden).path("Status").asInt());
        assertEquals(200, alepheeSend().statusCode());
        assertEquals(1, sandbox.alepheeMessages().size());
    }

    @Test
    void rateLimitNextGives429WithRetryAfter() {
        sandbox.rateLimitNext(1, 7);
        sandbox.rateLimitNext(Sandbox.ALEPHEE, 1, 3);
        HttpResponse<String> lectronz = client.get("/messages");
        assertEquals(429, lectronz.statusCode());
        assertEquals("7", lectronz.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(SandboxClient.json(lectronz).has("errors"));
        HttpResponse<String> alephee = alepheeSend();
        assertEquals(429, alephee.statusCode());
        assertEquals("3", alephee.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("3", alephee.headers().firstValue("x-ratelimit-retryafter").orElseThrow());
        assertEquals(429, SandboxClient.json(alephee).path("Status").asInt());
        assertEquals(200, client.get("/messages").statusCode());
        assertEquals(200, alepheeSend().statusCode());
    }

    @Test
    void hangNextOutlastsAClientTimeoutThenServes() {
        sandbox.hangNext(Sandbox.LECTRONZ, 1, Duration.ofSeconds(30));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.lectronzBaseUrl() + "/messages"))
                .header("Authorization", "Bearer " + SandboxOptions.DEFAULT_LECTRONZ_TOKEN)
                .timeout(Duration.ofMillis(300)).build();
        UncheckedIOException timedOut = assertThrows(UncheckedIOException.class, () -> client.send(request));
        assertTrue(timedOut.getCause() instanceof HttpTimeoutException, timedOut.toString());
        assertEquals(200, client.get("/messages").statusCode());
    }

    @Test
    void faultsForOneEndpointOnly() {
        sandbox.failNext(Endpoint.LECTRONZ_LIST, 1, 502);
        sandbox.rateLimitNext(Endpoint.LECTRONZ_DETAIL, 1, 4);
        assertEquals(429, client.get("/messages/5001").statusCode()); // the list rule does not match a detail
        assertEquals(200, client.get("/messages/5001").statusCode());
        assertEquals(502, client.get("/messages").statusCode());
        assertEquals(200, client.get("/messages").statusCode());
    }

    @Test
    void injectedAlepheeRateLimitResetsAfterRetryAfter() {
        sandbox.rateLimitNext(Endpoint.ALEPHEE_SEND, 1, 2);
        HttpResponse<String> r = alepheeSend();
        assertEquals(429, r.statusCode());
        assertEquals("0", r.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertEquals("2", r.headers().firstValue("x-ratelimit-reset").orElseThrow());
    }

    @Test
    void clearFaultsDropsQueuedOnes() {
        sandbox.failNext(5, 500);
        sandbox.clearFaults();
        assertEquals(200, client.get("/messages").statusCode());
    }

    @Test
    void randomRatesOfOneFailEveryRequest() {
        sandbox.setRandomFaults(1.0, 0, 1, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(500, client.get("/messages").statusCode());
        }
        sandbox.setRandomFaults(0, 1.0, 2, 0);
        HttpResponse<String> limited = client.get("/messages");
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("Retry-After").orElseThrow());
        sandbox.setRandomFaults(0, 0, 1, 0);
        assertEquals(200, client.get("/messages").statusCode());
    }

    @Test
    void latencyDelaysEveryAnswer() {
        sandbox.setLatency(Duration.ofMillis(150));
        long start = System.nanoTime();
        assertEquals(200, client.get("/messages").statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 150);
    }

    @Test
    void closeAnswersNoMore() {
        String url = sandbox.lectronzBaseUrl();
        sandbox.close();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/messages")).timeout(Duration.ofSeconds(2))
                .build();
        assertThrows(UncheckedIOException.class, () -> client.send(request));
        assertFalse(url.isEmpty());
    }
}
