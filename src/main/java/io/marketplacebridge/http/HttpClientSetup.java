package io.marketplacebridge.http;

import io.marketplacebridge.config.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;

/** One place that configures the http component every remote call goes through. */
public final class HttpClientSetup {

    private HttpClientSetup() {
    }

    public static void configure(CamelContext context, BridgeSettings settings) {
        HttpComponent http = context.getComponent("http", HttpComponent.class);
        HttpComponent https = context.getComponent("https", HttpComponent.class);
        for (HttpComponent c : new HttpComponent[] {http, https}) {
            // HttpClient 5.5+ would obey Retry-After on its own (CAMEL-23345): retries are Camel's job
            c.setAutomaticRetriesDisabled(true);
            // a 3xx is an answer (HttpOperationFailedException with its status), never followed: the request carries
            // a token or an API key, which must not travel to wherever a Location points
            c.setRedirectHandlingDisabled(true);
            c.setFollowRedirects(false);
            // JVM trust store (-Djavax.net.ssl.trustStore) and proxy settings are honoured
            c.setUseSystemProperties(true);
            c.setConnectTimeout(settings.httpConnectTimeout().toMillis());
            c.setConnectionRequestTimeout(settings.httpResponseTimeout().toMillis());
            c.setResponseTimeout(settings.httpResponseTimeout().toMillis());
            c.setSoTimeout(settings.httpResponseTimeout().toMillis());
            int inFlight = Math.max(settings.outboundConcurrency(), settings.lectronz().concurrency()) + 8;
            c.setConnectionsPerRoute(Math.max(20, inFlight));
            c.setMaxTotalConnections(Math.max(200, 2 * inFlight));
        }
    }
}
