package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one result of a command record (SPEC section 6). */
public record CommandResult(String commandId, String channel, String action, JsonNode orderId, Status status,
                            ErrorCode code, String message, Integer httpStatus, JsonNode remote, int attempts,
                            String sourceTopic, int sourcePartition, long sourceOffset, Instant timestamp,
                            boolean remoteTruncated) {

    public enum Status { DELIVERED, DUPLICATE, REJECTED, FAILED }

    /** The outbound side's one ObjectMapper (results, remote answers, request bodies). */
    static final ObjectMapper JSON = new ObjectMapper();

    /** REJECTED and FAILED go to the dead-letter topic too. */
    public boolean deadLetter() {
        return status == Status.REJECTED || status == Status.FAILED;
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("commandId", commandId);
        n.put("channel", channel);
        n.put("action", action);
        n.set("orderId", orderId);
        n.put("status", status.name());
        n.put("code", code == null ? null : code.name());
        n.put("message", message);
        n.put("httpStatus", httpStatus);
        n.set("remote", remote);
        if (remoteTruncated) {
            n.put("remoteTruncated", true);
        }
        n.put("attempts", attempts);
        ObjectNode source = n.putObject("source");
        source.put("topic", sourceTopic);
        source.put("partition", sourcePartition);
        source.put("offset", sourceOffset);
        n.put("timestamp", timestamp.truncatedTo(ChronoUnit.MILLIS).toString());
        return n;
    }

    public byte[] toBytes() {
        return toJson().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The result {@link #toBytes} wrote (a delivery receipt's). */
    static CommandResult fromBytes(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode source = n.path("source");
            return new CommandResult(text(n, "commandId"), text(n, "channel"), text(n, "action"), value(n, "orderId"),
                    Status.valueOf(n.path("status").asText()), n.path("code").isTextual() ? ErrorCode.valueOf(n.path("code").asText()) : null,
                    text(n, "message"), n.path("httpStatus").isInt() ? n.path("httpStatus").asInt() : null, value(n, "remote"),
                    n.path("attempts").asInt(), text(source, "topic"), source.path("partition").asInt(), source.path("offset").asLong(),
                    Instant.parse(n.path("timestamp").asText()), n.path("remoteTruncated").asBoolean(false));
        } catch (java.io.IOException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalStateException("Not a result written by the bridge: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).asText() : null;
    }

    private static JsonNode value(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
