package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The parts of a command's result that do not depend on the outcome, with the caps that keep every result
 * far below the broker's record limit whatever the command or the remote said.
 */
public record CommandDraft(String commandId, String channel, String action, JsonNode orderId,
                           String sourceTopic, int sourcePartition, long sourceOffset) {

    /** Longest {@code remote} kept, in bytes of JSON; a longer one is cut and marked {@code remoteTruncated}. */
    static final int MAX_REMOTE_BYTES = 4096;
    static final int MAX_MESSAGE_CHARS = 1000;
    /** Longest echo of a field of a command that was not accepted (its id, channel, action or order id). */
    static final int MAX_ECHO_CHARS = CommandValidator.MAX_ID_LENGTH;

    /** From what the validator could read; anything too long to be valid is not echoed. */
    static CommandDraft of(ConsumerRecord<String, byte[]> record, CommandValidator.Echo echo) {
        String id = echo.id() != null && echo.id().length() <= MAX_ECHO_CHARS ? echo.id() : defaultId(record);
        String action = echo.action() == null && echo.channel() != null ? "send" : echo.action();
        JsonNode orderId = echo.orderId() != null && echo.orderId().asText().length() <= MAX_ECHO_CHARS ? echo.orderId() : null;
        return new CommandDraft(id, cap(echo.channel()), cap(action), orderId, record.topic(), record.partition(), record.offset());
    }

    static String defaultId(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "-" + r.offset();
    }

    CommandResult result(Status status, ErrorCode code, String message, Integer httpStatus, JsonNode remote, int attempts, Instant at) {
        boolean truncated = false;
        if (remote != null) {
            String text = remote.isTextual() ? remote.asText() : remote.toString();
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_REMOTE_BYTES) {
                String cut = text.substring(0, Math.min(text.length(), MAX_REMOTE_BYTES));
                while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REMOTE_BYTES) {
                    cut = cut.substring(0, cut.length() * 9 / 10);
                }
                remote = TextNode.valueOf(cut);
                truncated = true;
            }
        }
        if (message != null && message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        }
        return new CommandResult(commandId, channel, action, orderId, status, code, message, httpStatus, remote, attempts,
                sourceTopic, sourcePartition, sourceOffset, at, truncated);
    }

    private static String cap(String s) {
        return s == null || s.length() <= MAX_ECHO_CHARS ? s : s.substring(0, MAX_ECHO_CHARS) + "…";
    }
}
