package io.marketplacebridge.outbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.Exchange;

/** Reading what a remote answered, the same way for every channel. */
final class RemoteAnswers {

    private RemoteAnswers() {
    }

    /** Calls made for this exchange: the first plus the redeliveries of the remote-call route. */
    static int attempts(Exchange exchange) {
        return 1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
    }

    /** The remote's own words: Alephee's {@code Message}, Lectronz's {@code errors}. */
    static String message(String remoteName, int status, String body) {
        String words = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode n = CommandResult.JSON.readTree(body);
                if (n.hasNonNull("Message")) {
                    words = n.get("Message").asText();
                } else if (n.hasNonNull("errors")) {
                    words = flatten(n.get("errors"));
                } else if (n.isTextual()) {
                    words = n.asText();
                }
            } catch (Exception notJson) {
                words = body.trim();
            }
        }
        if (words == null || words.isBlank()) {
            words = remoteName + " refused the message with HTTP " + status;
        }
        return words.length() > 1000 ? words.substring(0, 1000) + "…" : words;
    }

    /** Lectronz errors as words: {@code {"type": ["must be ..."]}} becomes {@code type: must be ...}. */
    private static String flatten(JsonNode errors) {
        if (errors.isObject()) {
            List<String> parts = new ArrayList<>();
            errors.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + flatten(e.getValue())));
            return String.join("; ", parts);
        }
        if (errors.isArray()) {
            List<String> parts = new ArrayList<>();
            errors.forEach(e -> parts.add(flatten(e)));
            return String.join(", ", parts);
        }
        return errors.asText();
    }

    /** A response body as JSON when it is an object or array, else as text. */
    static JsonNode body(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        String start = body.stripLeading();
        if (!start.startsWith("{") && !start.startsWith("[")) {
            return TextNode.valueOf(body); // Alephee answers with a plain string: no parse (and no exception) per call
        }
        try {
            JsonNode n = CommandResult.JSON.readTree(body);
            if (n != null && (n.isObject() || n.isArray())) {
                return n;
            }
        } catch (Exception notJson) {
            // Alephee answers with a plain string
        }
        return TextNode.valueOf(body);
    }

    /**
     * A remote's refusal as a result: 408, 429 and 5xx (still failing when the retries ended) are FAILED
     * {@code REMOTE_UNAVAILABLE}; a 3xx (redirects are not followed; its location is never repeated) and any
     * other 4xx are REJECTED {@code REMOTE_REJECTED}, with the remote's own words.
     */
    static CommandResult refusal(CommandDraft draft, String remoteName, HttpOperationFailedException e, int attempts, Instant at) {
        int status = e.getStatusCode();
        if (status == 408 || status == 429 || status >= 500) {
            return draft.result(Status.FAILED, ErrorCode.REMOTE_UNAVAILABLE, remoteName + " answered HTTP " + status
                    + " until the retries ended (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                    + "); the command was not delivered", status, body(e.getResponseBody()), attempts, at);
        }
        if (status >= 300 && status < 400) {
            return draft.result(Status.REJECTED, ErrorCode.REMOTE_REJECTED, remoteName + " answered with a redirect (HTTP "
                    + status + "); redirects are not followed: check the base URL", status, null, attempts, at);
        }
        return draft.result(Status.REJECTED, ErrorCode.REMOTE_REJECTED, message(remoteName, status, e.getResponseBody()),
                status, body(e.getResponseBody()), attempts, at);
    }

    /** A remote that could not be reached (refused, timed out) until the retries ended. */
    static CommandResult unreachable(CommandDraft draft, String remoteName, Throwable cause, int attempts, Instant at) {
        return draft.result(Status.FAILED, ErrorCode.REMOTE_UNAVAILABLE, "Could not reach " + remoteName + " ("
                + cause.getClass().getSimpleName() + ", " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + "); the command was not delivered", null, null, attempts, at);
    }
}
