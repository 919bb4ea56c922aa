package io.marketplacebridge.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One message the Alephee sandbox accepted (answered 200).
 *
 * @param id                sequence number, from 1, in the order they were accepted
 * @param orderId           the path's order id
 * @param accountId         the {@code accountId} query parameter
 * @param message           free text, null when none was sent
 * @param messageOption     1..5 ({@code messageOptions})
 * @param documentName      null without a document
 * @param documentExtension null without a document
 * @param attachment        the decoded document bytes, null without a document
 * @param bodyFormat        {@code json} or {@code multipart}
 * @param receivedAt        when it was accepted
 * @param apiKey            the {@code API_KEY} it was sent with (the sandbox's keys are no secrets)
 */
public record AlepheeMessage(long id, long orderId, String accountId, String message, int messageOption,
                             String documentName, String documentExtension, byte[] attachment, String bodyFormat,
                             Instant receivedAt, String apiKey) {

    public boolean hasAttachment() {
        return attachment != null;
    }

    public int attachmentSize() {
        return attachment == null ? 0 : attachment.length;
    }

    /** Lower-case hex SHA-256 of the decoded document, null without one. */
    public String attachmentSha256() {
        if (attachment == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(attachment));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AlepheeMessage[id=" + id + ", orderId=" + orderId + ", accountId=" + accountId + ", option="
                + messageOption + ", format=" + bodyFormat + ", document=" + documentName + "." + documentExtension
                + " (" + attachmentSize() + " bytes), message=" + message + "]";
    }
}
