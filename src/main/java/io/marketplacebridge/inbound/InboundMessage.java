package io.marketplacebridge.inbound;

/**
 * One (id, updated_at) to write: the detail JSON exactly as returned, plus what the record and the state
 * need. {@code problem != null} marks a malformed message: it is logged and counted, but neither published nor
 * remembered, so later scans fetch it again (a truncated answer must not lose a message).
 */
public record InboundMessage(long id, String type, String orderId, String createdAt, String updatedAt,
                             boolean created, boolean unread, byte[] json, String problem) {

    public boolean malformed() {
        return problem != null;
    }

    static InboundMessage malformed(long id, String type, String createdAt, String updatedAt, boolean created,
                                    String problem) {
        return new InboundMessage(id, type, null, createdAt, updatedAt, created, false, null, problem);
    }
}
