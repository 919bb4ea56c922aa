package io.marketplacebridge.outbound;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CommandResultTest {

    @Test
    void givenResultsWrittenAsBytesWhenReadBackThenEveryFieldIsTheSame() {
        CommandResult delivered = new CommandResult("reply-42", "alephee", "send", IntNode.valueOf(900123),
                CommandResult.Status.DELIVERED, null, null, 200, OutboundKafka.json("{\"id\":7,\"text\":\"ok\"}".getBytes()), 2,
                "marketplace.outbound", 3, 17, Instant.parse("2026-11-23T19:30:00.123Z"), true);
        assertEquals(delivered, CommandResult.fromBytes(delivered.toBytes()));
        CommandResult bare = new CommandResult("t-1-2", null, null, TextNode.valueOf("A-9"), CommandResult.Status.FAILED,
                ErrorCode.REMOTE_UNAVAILABLE, "down", null, null, 4, "t", 1, 2, Instant.EPOCH, false);
        assertEquals(bare, CommandResult.fromBytes(bare.toBytes()));
        assertThrows(IllegalStateException.class, () -> CommandResult.fromBytes("{\"status\":\"LOST\"}".getBytes()));
    }

    @Test
    void jsonHasExactlyTheSpecFields() {
        CommandResult r = new CommandResult("reply-42", "alephee", "send", IntNode.valueOf(900123),
                CommandResult.Status.DELIVERED, null, null, 200, TextNode.valueOf("ok"), 1,
                "marketplace.outbound", 0, 17, Instant.parse("2026-11-23T19:30:00Z"), false);
        JsonNode n = OutboundKafka.json(r.toBytes());
        List<String> fields = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("commandId", "channel", "action", "orderId", "status", "code", "message", "httpStatus",
                "remote", "attempts", "source", "timestamp"), fields);
        assertEquals(900123, n.get("orderId").asInt());
        assertTrue(n.get("code").isNull());
        assertTrue(n.get("message").isNull());
        assertEquals("DELIVERED", n.get("status").asText());
        assertEquals("{\"topic\":\"marketplace.outbound\",\"partition\":0,\"offset\":17}", n.get("source").toString());
        assertEquals("2026-11-23T19:30:00Z", n.get("timestamp").asText());
        assertFalse(r.deadLetter());
        CommandResult failed = new CommandResult("x", null, null, null, CommandResult.Status.FAILED, ErrorCode.REMOTE_UNAVAILABLE,
                "down", null, null, 4, "t", 1, 2, Instant.EPOCH, false);
        assertTrue(failed.deadLetter());
        assertEquals("REMOTE_UNAVAILABLE", OutboundKafka.json(failed.toBytes()).get("code").asText());
    }

    @Test
    void remoteWordsAreExtracted() {
        assertEquals("Order 1 not found", RemoteAnswers.message("Alephee", 404, "{\"Status\":404,\"Message\":\"Order 1 not found\"}"));
        assertEquals("type: only a customer_order_message can be marked as read",
                RemoteAnswers.message("Lectronz", 422, "{\"errors\":{\"type\":[\"only a customer_order_message can be marked as read\"]}}"));
        assertEquals("Alephee refused the message with HTTP 403", RemoteAnswers.message("Alephee", 403, ""));
        assertTrue(RemoteAnswers.body("{\"id\":5}").isObject());
        assertTrue(RemoteAnswers.body("Message 3 sent").isTextual());
    }

    @Test
    void rateGateClosesWhenNoneRemain() {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        AlepheeRateGate gate = new AlepheeRateGate(Clock.fixed(now, ZoneOffset.UTC), null);
        gate.observe("k", Map.of("x-ratelimit-remaining", "3", "x-ratelimit-reset", "40"));
        assertEquals(Instant.EPOCH, gate.openAt("k"));
        gate.observe("k", Map.of("X-RateLimit-Remaining", List.of("0"), "x-ratelimit-reset", "12"));
        assertEquals(now.plusSeconds(12), gate.openAt("k"));
        gate.observe("k", Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", "garbage"));
        assertEquals(now.plusSeconds(12), gate.openAt("k"));
        assertEquals(Instant.EPOCH, gate.openAt("another-key"), "each API key has its own limit");
    }
}
