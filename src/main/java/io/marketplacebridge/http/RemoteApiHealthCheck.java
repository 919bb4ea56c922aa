package io.marketplacebridge.http;

import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health of a remote API as the bridge's last call to it saw it: DOWN while its credentials are refused
 * or it cannot be reached, UP again with the next call it answers properly.
 */
public final class RemoteApiHealthCheck extends AbstractHealthCheck {

    private volatile String problem;
    private volatile Instant lastCall;

    public RemoteApiHealthCheck(String api) {
        super("marketplace-bridge", api);
    }

    public void up() {
        lastCall = Instant.now();
        problem = null;
    }

    public void down(String why) {
        lastCall = Instant.now();
        problem = why;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant last = lastCall;
        builder.detail("last.call", last == null ? "none yet" : last.toString());
        String p = problem;
        if (p == null) {
            builder.up();
        } else {
            builder.message(p).down();
        }
    }
}
