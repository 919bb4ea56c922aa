package io.marketplacebridge.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared remote-api route configuration against a real HTTP server (WireMock). */
class RemoteApiRetriesTest {

    private WireMockServer remote;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        remote = new WireMockServer(wireMockConfig().dynamicPort());
        remote.start();
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.put("bridge.http.max-retries", "3");
        p.put("bridge.http.retry-delay", "10");
        p.put("bridge.http.max-retry-delay", "100");
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.getRegistry().bind("retryAfter", new RetryAfter());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveResource(camel, "file:routes/error-handling.yaml"));
        String url = "http://localhost:" + remote.port() + "/thing";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("call").routeConfigurationId("remote-api")
                        .to(url);
            }
        });
        camel.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
        remote.stop();
    }

    private void answers(int... statuses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < statuses.length; i++) {
            String next = "step" + (i + 1);
            var response = aResponse().withStatus(statuses[i]).withBody("answer " + i);
            if (statuses[i] == 429) {
                response = response.withHeader("Retry-After", "1");
            }
            remote.stubFor(get(urlEqualTo("/thing")).inScenario("s").whenScenarioStateIs(state)
                    .willReturn(response).willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() {
        answers(500, 503, 200);
        assertEquals("answer 2", template.requestBody("direct:call", null, String.class));
        remote.verify(3, getRequestedFor(urlEqualTo("/thing")));
    }

    @Test
    void tooManyRequestsWaitsAtLeastRetryAfter() {
        answers(429, 200);
        assertEquals("answer 1", template.requestBody("direct:call", null, String.class));
        List<LoggedRequest> calls = remote.findAll(getRequestedFor(urlEqualTo("/thing")));
        assertEquals(2, calls.size());
        Duration waited = Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant());
        assertTrue(waited.toMillis() >= 1000, "retried after " + waited.toMillis() + " ms despite Retry-After: 1");
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        answers(400, 200);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:call", null, String.class));
        assertEquals(400, ((HttpOperationFailedException) e.getCause()).getStatusCode());
        remote.verify(1, getRequestedFor(urlEqualTo("/thing")));
    }

    @Test
    void retriesEndWhenExhausted() {
        answers(500, 500, 500, 500, 200);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:call", null, String.class));
        assertEquals(500, ((HttpOperationFailedException) e.getCause()).getStatusCode());
        remote.verify(4, getRequestedFor(urlEqualTo("/thing")));
    }

    @Test
    void retryAfterParsesSecondsAndDates() {
        assertEquals(Duration.ofSeconds(2), RetryAfter.parse("2"));
        assertEquals(Duration.ofMillis(1500), RetryAfter.parse("1.5"));
        assertEquals(null, RetryAfter.parse("soon"));
        assertTrue(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT").isZero(), "a past date means now");
    }
}
