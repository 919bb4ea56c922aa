package io.marketplacebridge.inbound;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Health of the Lectronz API as the last poll saw it: DOWN on a rejected token or when calls keep failing. */
final class LectronzHealthCheck extends AbstractHealthCheck {

    private volatile String problem;

    LectronzHealthCheck() {
        super("marketplace-bridge", "lectronz");
    }

    void up() {
        problem = null;
    }

    void down(String why) {
        problem = why;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String p = problem;
        if (p == null) {
            builder.up();
        } else {
            builder.message(p).down();
        }
    }
}
