package io.marketplacebridge.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Lectronz message as the sandbox holds it (immutable; a change replaces it).
 * {@link #toDetailJson()} is exactly what {@code GET /messages/{id}} answers.
 */
public record LectronzMessage(long id, String type, long orderId, String content, Attachment attachment,
                              Instant createdAt, Instant updatedAt, Instant readAt) {

    public static final String CUSTOMER = "customer_order_message";
    public static final String SELLER = "seller_order_message";
    public static final String REFUND = "refund_order_message";

    /** ISO-8601 UTC with millisecond precision, e.g. {@code 2026-11-23T19:30:00.123Z}. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public record Attachment(String url, String filename, String contentType) {
    }

    public static String format(Instant t) {
        return t == null ? null : TIMESTAMP.format(t);
    }

    /** {@code created_at} as the API shows it. */
    public String createdAtText() {
        return format(createdAt);
    }

    /** {@code updated_at} as the API shows it (what inbound change detection compares). */
    public String updatedAtText() {
        return format(updatedAt);
    }

    public String orderLink() {
        return "https://lectronz.com/orders/" + orderId;
    }

    LectronzMessage withRead(Instant at) {
        return new LectronzMessage(id, type, orderId, content, attachment, createdAt, at, at);
    }

    LectronzMessage withUpdatedAt(Instant at) {
        return new LectronzMessage(id, type, orderId, content, attachment, createdAt, at, readAt);
    }

    /** The minimal list item: {@code {id, type, created_at, updated_at}}. */
    ObjectNode toListItem() {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("type", type);
        n.put("created_at", createdAtText());
        n.put("updated_at", updatedAtText());
        return n;
    }

    /** The full object of {@code GET /messages/{id}}; {@code attachment} only when there is one. */
    public ObjectNode toDetail() {
        ObjectNode n = Http.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("content", content);
        if (attachment != null) {
            ObjectNode a = n.putObject("attachment");
            a.put("url", attachment.url());
            a.put("filename", attachment.filename());
            a.put("content_type", attachment.contentType());
        }
        n.put("type", type);
        ObjectNode subject = n.putObject("subject");
        subject.put("id", orderId);
        subject.put("type", "order");
        subject.put("link", orderLink());
        n.put("created_at", createdAtText());
        n.put("updated_at", updatedAtText());
        n.put("read_at", format(readAt));
        return n;
    }

    /** {@link #toDetail()} as the exact JSON text the detail endpoint sends. */
    public String toDetailJson() {
        return toDetail().toString();
    }
}
