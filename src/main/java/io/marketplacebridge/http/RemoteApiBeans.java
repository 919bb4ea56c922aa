package io.marketplacebridge.http;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.observe.BridgeMetrics;
import org.apache.camel.CamelContext;

/** Binds what the remote API routes (routes/error-handling.yaml, routes/*-api.yaml) refer to, and sets up the http component. */
public final class RemoteApiBeans {

    private RemoteApiBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings) {
        HttpClientSetup.configure(context, settings);
        RetryRule rule = RetryRule.of(settings);
        context.getRegistry().bind("retryRule", rule);
        context.getRegistry().bind("failedAttempt", new FailedAttempt(rule));
        context.getRegistry().bind("beforeRetry", new BeforeRetry(BridgeMetrics.of(context)));
        context.getRegistry().bind("lectronzBearer", new LectronzBearer(settings.lectronz().apiToken(), settings.lectronz().baseUrl()));
    }
}
