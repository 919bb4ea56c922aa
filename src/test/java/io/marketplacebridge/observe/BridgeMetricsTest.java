package io.marketplacebridge.observe;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus names and labels of SPEC section 8, as a scrape shows them. */
class BridgeMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BridgeMetrics metrics = new BridgeMetrics(registry);

    @Test
    void givenOutcomes_whenScraped_thenSpecNamesAndLabels() {
        metrics.outboundResult("shop-eu", "alephee", "REJECTED", "CONTENT_TOO_LONG");
        metrics.outboundResult("shop-eu", "alephee", "REJECTED", "CONTENT_TOO_LONG");
        metrics.outboundResult("default", "lectronz", "DELIVERED", null);
        metrics.outboundDelivery("default", "lectronz", Duration.ofMillis(250));
        metrics.outboundRetry("default", "lectronz");
        metrics.outboundLag(42);
        metrics.inboundPublished("default", "customer_order_message", "created");
        metrics.inboundBacklog("default", 7);
        metrics.inboundSuccess("default", Instant.ofEpochSecond(1_764_000_000L));

        String scrape = registry.scrape();

        assertContains(scrape, "bridge_outbound_results_total{account=\"shop-eu\",channel=\"alephee\",code=\"CONTENT_TOO_LONG\",status=\"REJECTED\"} 2.0");
        assertContains(scrape, "bridge_outbound_results_total{account=\"default\",channel=\"lectronz\",code=\"none\",status=\"DELIVERED\"} 1.0");
        assertContains(scrape, "bridge_outbound_delivery_seconds_bucket{account=\"default\",channel=\"lectronz\"");
        assertContains(scrape, "bridge_outbound_delivery_seconds_count{account=\"default\",channel=\"lectronz\"} 1");
        assertContains(scrape, "bridge_outbound_retries_total{account=\"default\",channel=\"lectronz\"} 1.0");
        assertContains(scrape, "bridge_outbound_lag_records 42.0");
        assertContains(scrape, "lectronz_inbound_published_total{account=\"default\",event=\"created\",type=\"customer_order_message\"} 1.0");
        assertContains(scrape, "lectronz_inbound_backlog_messages{account=\"default\"} 7.0");
        assertContains(scrape, "lectronz_inbound_last_success_timestamp_seconds{account=\"default\"} 1.764E9");
    }

    @Test
    void givenAGaugeSetTwice_whenScraped_thenTheLastValue() {
        metrics.inboundBacklog("a", 5);
        metrics.inboundBacklog("a", 0);
        metrics.inboundBacklog("b", 3);

        String scrape = registry.scrape();

        assertContains(scrape, "lectronz_inbound_backlog_messages{account=\"a\"} 0.0");
        assertContains(scrape, "lectronz_inbound_backlog_messages{account=\"b\"} 3.0");
    }

    private static void assertContains(String scrape, String line) {
        assertTrue(scrape.contains(line), () -> "missing in scrape: " + line + "\n" + scrape);
    }
}
