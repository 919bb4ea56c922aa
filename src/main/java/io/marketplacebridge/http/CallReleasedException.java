package io.marketplacebridge.http;

/**
 * A remote call the bridge gave up on because its exchange carries {@code bridge.released=true} (the command was
 * released, e.g. the bridge is stopping): no further attempt was made. Never retried.
 */
public class CallReleasedException extends RuntimeException {

    public CallReleasedException(String message) {
        super(message);
    }
}
