package io.marketplacebridge.outbound;

/** The result codes of SPEC section 6 for REJECTED and FAILED commands. */
public enum ErrorCode {
    MALFORMED_COMMAND,
    COMMAND_TOO_LARGE,
    UNKNOWN_CHANNEL,
    UNKNOWN_ACTION,
    MISSING_FIELD,
    CONTENT_REQUIRED,
    CONTENT_TOO_LONG,
    CONTENT_NOT_ALLOWED,
    INVALID_REASON,
    ATTACHMENT_NOT_SUPPORTED,
    ATTACHMENT_INVALID,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_FORBIDDEN,
    ATTACHMENT_UNAVAILABLE,
    UNKNOWN_ACCOUNT,
    REMOTE_REJECTED,
    REMOTE_UNAVAILABLE,
    /** FAILED: the bridge itself could not handle this command (SPEC 6); the stream goes on. */
    INTERNAL_ERROR
}
