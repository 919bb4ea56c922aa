package io.marketplacebridge.operations;

/** A bad command line: the message says what was wrong; the caller prints it with the usage and exits 2. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
