package io.marketplacebridge.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketplacebridge.testing.CapturedLog;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote routes as the bridge runs them, against WireMock: the outbound retry budget by time, Retry-After,
 * hangs and refused connections, {@code bridge.released}, redirects, and that no token or API key reaches a log
 * line or a failure.
 */
class RemoteApiRoutesTest {

    private static final String TOKEN = RemoteApiRoutes.TOKEN;
    private static final String API_KEY = RemoteApiRoutes.API_KEY;

    private final List<RemoteApiRoutes> started = new ArrayList<>();
    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        log = CapturedLog.capture();
    }

    @AfterEach
    void stop() {
        started.forEach(RemoteApiRoutes::close);
        log.close();
    }

    /** The routes with a short outbound budget and quick back-offs (plus these settings). */
    private RemoteApiRoutes apis(String budget, String... settings) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("bridge.outbound.retry-timeout", budget,
                "bridge.http.response-timeout", "5s", "bridge.http.connect-timeout", "2s",
                "bridge.http.max-retries", "1", "bridge.http.retry-delay", "50", "bridge.http.max-retry-delay", "300"));
        for (int i = 0; i < settings.length; i += 2) {
            s.put(settings[i], settings[i + 1]);
        }
        RemoteApiRoutes apis = RemoteApiRoutes.start(s);
        started.add(apis);
        return apis;
    }

    private static String orderPath(long order) {
        return "/alephee/v2/orders/" + order + "/messages";
    }

    private static Exchange sendAlephee(RemoteApiRoutes apis, long order) {
        return apis.template.send("direct:alephee-send", ex -> prepareAlephee(ex, order));
    }

    private static void prepareAlephee(Exchange ex, long order) {
        ex.setProperty(RemoteCall.PATH, "/orders/" + order + "/messages");
        ex.setProperty(RemoteCall.QUERY, "API_KEY=" + API_KEY + "&accountId=77");
        ex.getIn().setHeader("kafka.KEY", String.valueOf(order));
        ex.getIn().setBody("""
                {"message": "hello", "messageOptions": 4}""");
    }

    private static Exchange markAsRead(RemoteApiRoutes apis, long message) {
        return apis.template.send("direct:lectronz-mark-as-read", ex -> {
            ex.setProperty(RemoteCall.PATH, "/messages/" + message + "/mark_as_read");
            ex.setProperty(RemoteCall.LECTRONZ_TOKEN, TOKEN);
        });
    }

    private static List<Instant> arrivals(RemoteApiRoutes apis, String path) {
        return apis.remote.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .map(LoggedRequest::getLoggedDate).map(java.util.Date::toInstant).sorted().toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void givenAnOutageThenAnOutboundCallIsRetriedUntilTheBudgetIsSpentNotForACount() throws Exception {
        RemoteApiRoutes apis = apis("3s");
        apis.remote.stubFor(post(urlPathEqualTo(orderPath(1))).willReturn(aResponse().withStatus(503).withBody("down")));
        long started = System.currentTimeMillis();
        Exchange done = sendAlephee(apis, 1);
        long took = System.currentTimeMillis() - started;

        assertEquals(503, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
        List<Instant> calls = arrivals(apis, orderPath(1));
        assertTrue(calls.size() > 2, "retried beyond BRIDGE_HTTP_MAX_RETRIES=1 for the time budget: " + calls.size());
        assertTrue(took >= 2_000, "gave up after " + took + " ms of a 3 s budget");
        assertTrue(took < 3_000 + 10_000, "gave up after " + took + " ms of a 3 s budget");
        Instant deadline = Instant.ofEpochMilli(done.getClock().getCreated()).plusSeconds(3);
        assertTrue(calls.get(calls.size() - 1).isBefore(deadline.plusMillis(200)),
                "no attempt starts after the budget: last at " + calls.get(calls.size() - 1) + ", budget ended " + deadline);
    }

    @Test
    void givenTooManyRequestsThenEachRetryWaitsAtLeastWhatTheRemoteSaid() throws Exception {
        RemoteApiRoutes apis = apis("1m");
        String path = orderPath(2);
        apis.remote.stubFor(post(urlPathEqualTo(path)).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("reset"));
        apis.remote.stubFor(post(urlPathEqualTo(path)).inScenario("limit").whenScenarioStateIs("reset")
                .willReturn(aResponse().withStatus(429).withHeader("x-ratelimit-reset", "2")).willSetStateTo("open"));
        apis.remote.stubFor(post(urlPathEqualTo(path)).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody("\"sent\"")));

        Exchange done = sendAlephee(apis, 2);

        assertNull(done.getException());
        List<Instant> calls = arrivals(apis, path);
        assertEquals(3, calls.size());
        long first = Duration.between(calls.get(0), calls.get(1)).toMillis();
        long second = Duration.between(calls.get(1), calls.get(2)).toMillis();
        // WireMock stamps arrivals to the millisecond: a few ms of tolerance, never less than asked otherwise
        assertTrue(first >= 1_000 - 20, "Retry-After: 1 but retried after " + first + " ms");
        assertTrue(second >= 2_000 - 20, "x-ratelimit-reset: 2 but retried after " + second + " ms");
    }

    @Test
    void givenAHangingRemoteThenEachAttemptTimesOutAndIsRetriedUntilTheBudget() throws Exception {
        RemoteApiRoutes apis = apis("3s", "bridge.http.response-timeout", "500ms");
        apis.remote.stubFor(post(urlPathEqualTo(orderPath(3))).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
        long started = System.currentTimeMillis();
        Exchange done = sendAlephee(apis, 3);
        long took = System.currentTimeMillis() - started;

        assertInstanceOf(IOException.class, done.getException(), String.valueOf(done.getException()));
        int calls = apis.remote.findAll(postRequestedFor(urlPathEqualTo(orderPath(3)))).size();
        assertTrue(calls >= 2, "a 500 ms response timeout in a 3 s budget: " + calls + " attempts");
        assertTrue(took >= 2_000 && took < 3_000 + 10_000, "gave up after " + took + " ms of a 3 s budget");
    }

    @Test
    void givenARefusedConnectionThenItIsRetriedUntilTheBudget() throws Exception {
        RemoteApiRoutes apis = apis("2s", "alephee.base-url", "http://localhost:" + closedPort() + "/alephee/v2");
        long started = System.currentTimeMillis();
        Exchange done = sendAlephee(apis, 4);
        long took = System.currentTimeMillis() - started;

        assertInstanceOf(IOException.class, done.getException(), String.valueOf(done.getException()));
        assertTrue(took >= 1_400 && took < 2_000 + 10_000, "gave up after " + took + " ms of a 2 s budget");
        assertTrue(log.linesWith("alephee-post-order-messages: retry").size() >= 2, "retried: " + log.linesWith("retry"));
    }

    @Test
    void givenTheCallIsReleasedDuringItsBackOffThenNoFurtherAttemptIsMade() throws Exception {
        RemoteApiRoutes apis = apis("1m");
        apis.remote.stubFor(post(urlPathEqualTo(orderPath(5)))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")));
        AtomicReference<Exchange> inFlight = new AtomicReference<>();
        Future<Exchange> call = apis.template.asyncSend("direct:alephee-send", ex -> {
            prepareAlephee(ex, 5);
            inFlight.set(ex);
        });
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> apis.remote.findAll(postRequestedFor(urlPathEqualTo(orderPath(5)))).size() == 1);
        inFlight.get().setProperty(RetryRule.RELEASED, true);

        Exchange done = call.get(60, TimeUnit.SECONDS);

        assertInstanceOf(CallReleasedException.class, done.getException());
        assertEquals(1, apis.remote.findAll(postRequestedFor(urlPathEqualTo(orderPath(5)))).size(),
                "the attempt due after the back-off was not made");
    }

    @Test
    void givenAReleasedCallThenNoAttemptIsMade() throws Exception {
        RemoteApiRoutes apis = apis("1m");
        apis.remote.stubFor(post(urlPathEqualTo(orderPath(6))).willReturn(aResponse().withStatus(200)));
        Exchange done = apis.template.send("direct:alephee-send", ex -> {
            prepareAlephee(ex, 6);
            ex.setProperty(RetryRule.RELEASED, true);
        });
        assertInstanceOf(CallReleasedException.class, done.getException());
        apis.remote.verify(0, postRequestedFor(urlPathEqualTo(orderPath(6))));
        assertEquals(List.of(), log.linesWith("ERROR"), "a released call is the caller's decision, not an error");
    }

    @Test
    void givenARedirectThenItIsNotFollowedNotRetriedAndItsTargetIsNeverLogged() throws Exception {
        RemoteApiRoutes apis = apis("1m");
        String elsewhere = "http://localhost:" + apis.remote.port() + "/elsewhere/collect?API_KEY=" + API_KEY;
        apis.remote.stubFor(post(urlPathEqualTo(orderPath(7))).willReturn(aResponse().withStatus(302).withHeader("Location", elsewhere)));
        apis.remote.stubFor(post(urlPathMatching("/lectronz/api/v1/messages/7/mark_as_read"))
                .willReturn(aResponse().withStatus(301).withHeader("Location", elsewhere)));
        apis.remote.stubFor(any(urlPathMatching("/elsewhere/.*")).willReturn(aResponse().withStatus(200)));

        Exchange alephee = sendAlephee(apis, 7);
        Exchange lectronz = markAsRead(apis, 7);

        assertEquals(302, assertInstanceOf(HttpOperationFailedException.class, alephee.getException()).getStatusCode());
        assertEquals(301, assertInstanceOf(HttpOperationFailedException.class, lectronz.getException()).getStatusCode());
        apis.remote.verify(0, anyRequestedFor(urlPathMatching("/elsewhere/.*")));
        apis.remote.verify(1, postRequestedFor(urlPathEqualTo(orderPath(7))));
        apis.remote.verify(1, postRequestedFor(urlPathEqualTo("/lectronz/api/v1/messages/7/mark_as_read")));
        for (Exchange ex : List.of(alephee, lectronz)) {
            String said = everythingSaidAbout(ex);
            assertFalse(said.contains("elsewhere") || said.contains(API_KEY), said);
        }
        assertEquals(List.of(), log.linesWith("elsewhere"));
        assertEquals(List.of(), log.linesWith(API_KEY));
    }

    @Test
    void secretsSweepNoTokenOrKeyInAnyLogLineOrFailure() throws Exception {
        RemoteApiRoutes apis = apis("2s", "bridge.http.response-timeout", "1s");
        RemoteApiRoutes refused = apis("2s", "alephee.base-url", "http://localhost:" + closedPort() + "/alephee/v2",
                "lectronz.base-url", "http://localhost:" + closedPort() + "/lectronz/api/v1");
        Map<Integer, Integer> statuses = Map.of(11, 401, 12, 404, 13, 503, 14, 302);
        statuses.forEach((id, status) -> {
            var response = aResponse().withStatus(status).withBody("""
                    {"Status": %d, "Message": "no"}""".formatted(status));
            if (status == 302) {
                response = response.withHeader("Location", "https://evil.example/?API_KEY=" + API_KEY + "&t=" + TOKEN);
            }
            apis.remote.stubFor(post(urlPathEqualTo(orderPath(id))).willReturn(response));
            apis.remote.stubFor(post(urlPathEqualTo("/lectronz/api/v1/messages/" + id + "/mark_as_read")).willReturn(response));
        });
        apis.remote.stubFor(post(urlPathEqualTo(orderPath(15))).willReturn(aResponse().withFixedDelay(5_000)));
        apis.remote.stubFor(post(urlPathEqualTo("/lectronz/api/v1/messages/15/mark_as_read")).willReturn(aResponse().withFixedDelay(5_000)));

        List<Exchange> outcomes = new ArrayList<>();
        for (long id = 11; id <= 15; id++) {
            outcomes.add(sendAlephee(apis, id));
            outcomes.add(markAsRead(apis, id));
        }
        outcomes.add(sendAlephee(refused, 16));
        outcomes.add(markAsRead(refused, 16));

        assertEquals(12, outcomes.size());
        for (Exchange ex : outcomes) {
            assertNotNull(ex.getException(), "every call of the sweep fails");
            String said = everythingSaidAbout(ex);
            assertFalse(said.contains(TOKEN) || said.contains(API_KEY), said);
        }
        assertTrue(apis.remote.findAll(postRequestedFor(urlPathEqualTo(orderPath(13)))).size() > 1, "the 5xx was retried");
        assertTrue(apis.remote.findAll(anyRequestedFor(anyUrl())).stream()
                .allMatch(r -> r.getUrl().contains("API_KEY=" + API_KEY) || TOKEN.equals(r.getHeader("Authorization").substring(7))),
                "the secrets did reach the remote, so their absence below means something");
        assertFalse(log.lines().isEmpty());
        assertEquals(List.of(), log.linesWith(TOKEN));
        assertEquals(List.of(), log.linesWith(API_KEY));
    }

    /** The failure as any caller could print or store it: messages, causes, suppressed, URI, headers. */
    private static String everythingSaidAbout(Exchange ex) {
        StringBuilder sb = new StringBuilder();
        List<Throwable> seen = new ArrayList<>();
        List<Throwable> todo = new ArrayList<>();
        todo.add(ex.getException());
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || seen.contains(t)) {
                continue;
            }
            seen.add(t);
            sb.append(t).append('\n');
            if (t instanceof HttpOperationFailedException http) {
                sb.append(http.getUri()).append(' ').append(http.getRedirectLocation()).append(' ')
                        .append(http.getResponseHeaders()).append('\n');
            }
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return sb.toString();
    }
}
