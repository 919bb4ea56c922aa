package io.marketplacebridge.http;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs just before each retry of a remote call, after its back-off ({@code onRedelivery}, bean {@code beforeRetry}):
 * a call its caller released meanwhile ({@code bridge.released}) is not tried again but ends with
 * {@link CallReleasedException}; otherwise one line says what is retried and why, without secrets (Camel's own retry
 * log is off: it would print the request URI).
 */
public final class BeforeRetry implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BeforeRetry.class);

    @Override
    public void process(Exchange exchange) {
        Throwable last = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (RetryRule.released(exchange)) {
            throw new CallReleasedException("The call was released during its back-off; no further attempt was made"
                    + " (last failure: " + FailedAttempt.describe(last) + ")");
        }
        if (LOG.isWarnEnabled()) {
            LOG.warn("{}: retry {} after {}", exchange.getProperty(Exchange.FAILURE_ROUTE_ID, "remote call", String.class),
                    exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class), FailedAttempt.describe(last));
        }
    }
}
