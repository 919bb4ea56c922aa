package io.marketplacebridge.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketplacebridge.http.BeforeRetry;
import io.marketplacebridge.http.FailedAttempt;
import io.marketplacebridge.http.LectronzBearer;
import io.marketplacebridge.http.RetryRule;
import org.apache.camel.Exchange;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The YAML delivery routes as Camel Main loads them, against WireMock: whatever headers a command arrived
 * with on Kafka, the remote API sees only what it needs.
 */
class DeliveryRoutesTest extends CamelMainTestSupport {

    private static final WireMockServer REMOTE = new WireMockServer(wireMockConfig().dynamicPort());

    static {
        REMOTE.start();
        REMOTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withBody("{\"id\":1}")));
    }

    @AfterAll
    static void stopRemote() {
        REMOTE.stop();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        String base = "http://localhost:" + REMOTE.port();
        p.put("lectronz.base-url", base + "/lectronz/api/v1");
        p.put("lectronz.api-token", "the-lectronz-token");
        p.put("alephee.base-url", base + "/alephee/v2");
        return p;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:routes/error-handling.yaml,file:routes/lectronz-api.yaml,file:routes/alephee-api.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        RetryRule rule = new RetryRule(Duration.ofSeconds(5), 0, Duration.ofMillis(10), Duration.ofMillis(10));
        registry.bind("retryRule", rule);
        registry.bind("failedAttempt", new FailedAttempt(rule));
        registry.bind("beforeRetry", new BeforeRetry(new io.marketplacebridge.observe.BridgeMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())));
        registry.bind("lectronzBearer", new LectronzBearer("the-lectronz-token", "http://localhost:" + REMOTE.port() + "/lectronz/api/v1"));
    }

    @Test
    void kafkaHeadersNeverReachTheRemoteApi() {
        Exchange sent = template.send("direct:lectronz-send", ex -> {
            ex.getIn().setHeader("kafka.KEY", "10001");
            ex.getIn().setHeader("kafka.TOPIC", "marketplace.outbound");
            ex.getIn().setHeader("correlation-id", "c-1");
            ex.getIn().setHeader("X-Evil", "injected");
            ex.getIn().setHeader("Authorization", "Bearer forged");
            ex.getIn().setHeader("Content-Type", "text/evil");
            ex.getIn().setBody(new StringEntity("{\"content\":\"hi\"}", ContentType.APPLICATION_JSON)); // as LectronzDelivery prepares it
            ex.setProperty(CommandExchange.PATH, "/messages");
        });
        assertNull(sent.getException());
        LoggedRequest request = REMOTE.getAllServeEvents().get(0).getRequest();
        assertEquals("/lectronz/api/v1/messages", request.getUrl());
        assertEquals("Bearer the-lectronz-token", request.getHeader("Authorization"));
        Set<String> names = request.getAllHeaderKeys().stream().map(String::toLowerCase).collect(Collectors.toSet());
        for (String leaked : Set.of("kafka.key", "kafka.topic", "correlation-id", "x-evil")) {
            assertFalse(names.contains(leaked), leaked + " reached the remote: " + names);
        }
        assertTrue(request.getHeader("Content-Type").startsWith("application/json"), request.getHeader("Content-Type"));
    }
}
