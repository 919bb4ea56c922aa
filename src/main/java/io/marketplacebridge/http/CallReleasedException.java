package io.marketplacebridge.http;

/**
 * A remote call given up because its exchange was released ({@code bridge.released}): the consumer handed the
 * command back (revocation, graceful stop) and the next owner makes the call.
 */
public class CallReleasedException extends RuntimeException {

    public CallReleasedException(String message) {
        super(message);
    }
}
