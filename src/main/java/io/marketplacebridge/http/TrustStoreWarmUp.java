package io.marketplacebridge.http;

import java.security.KeyStore;

import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the JVM's trust store in the background at launch. The http component builds its TLS context when the
 * routes are created, and parsing the trust store's certificates there was the largest single step of Camel's
 * start-up; the JDK caches what it parsed, so the component then finds it ready (or waits for the rest).
 * The standard trust store settings ({@code javax.net.ssl.trustStore...}) apply as usual.
 */
public final class TrustStoreWarmUp {

    private TrustStoreWarmUp() {
    }

    public static void start() {
        Thread t = new Thread(TrustStoreWarmUp::load, "trust-store-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void load() {
        try {
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).init((KeyStore) null);
        } catch (Exception e) {
            // looked up here, not in a static field: starting the thread must not wait for the logging set-up
            Logger log = LoggerFactory.getLogger(TrustStoreWarmUp.class);
            log.debug("Trust store not preloaded ({}); the first TLS use reports it", e.toString());
        }
    }
}
