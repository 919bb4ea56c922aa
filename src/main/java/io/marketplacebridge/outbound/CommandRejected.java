package io.marketplacebridge.outbound;

/** A command that cannot be delivered as it is; the message tells a person what to fix. */
public final class CommandRejected extends Exception {

    private final ErrorCode code;

    public CommandRejected(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
