package io.marketplacebridge.outbound;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated reply command (SPEC section 5).
 *
 * @param id        the explicit idempotency key, or null when the command has none
 * @param orderId   the order id as the command gave it (number or text), null for mark_as_read
 * @param messageId the Lectronz message id for mark_as_read, else null
 * @param reason    Alephee {@code messageOptions} 1..5, 0 for Lectronz
 * @param account   the account whose credentials deliver it (BRIDGE_ACCOUNTS_FILE), {@code default} when not given
 */
public record OutboundCommand(String id, Channel channel, Action action, JsonNode orderId, String messageId,
                              String content, int reason, String accountId, AttachmentSpec attachment,
                              String account) {

    public enum Channel { LECTRONZ, ALEPHEE }

    public enum Action { SEND, MARK_AS_READ }

    /** Exactly one of url, path, base64 is set; documentName and documentExtension are never null. */
    public record AttachmentSpec(String url, String path, String base64, String documentName, String documentExtension) {
    }

    public String orderIdText() {
        return orderId == null ? null : orderId.asText();
    }
}
