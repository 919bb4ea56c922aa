package io.marketplacebridge.http;

import io.marketplacebridge.observe.BridgeMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs just before each retry of a remote call, after its back-off ({@code onRedelivery}, bean {@code beforeRetry}):
 * one line says what is retried and why, without secrets (Camel's own retry log is off: it would print the request
 * URI). A call released meanwhile is stopped at the http endpoint (routes/error-handling.yaml).
 */
public final class BeforeRetry implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BeforeRetry.class);

    private final BridgeMetrics metrics;

    public BeforeRetry(BridgeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        String account = exchange.getProperty(RemoteCall.ACCOUNT, String.class);
        if (account != null) { // an outbound command's call (inbound calls are retried by the next poll too)
            metrics.outboundRetry(account, exchange.getProperty(RemoteCall.CHANNEL, String.class));
        }
        Throwable last = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (LOG.isWarnEnabled()) {
            LOG.warn("{}: retry {} after {}", exchange.getProperty(Exchange.FAILURE_ROUTE_ID, "remote call", String.class),
                    exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class), FailedAttempt.describe(last));
        }
    }
}
