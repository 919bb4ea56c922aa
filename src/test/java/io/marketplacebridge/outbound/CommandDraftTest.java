package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.TextNode;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** What a result may hold, whatever the command or the remote said, and how a remote's refusal reads. */
class CommandDraftTest {

    private static final ConsumerRecord<String, byte[]> RECORD = new ConsumerRecord<>("marketplace.outbound", 2, 17, "k", new byte[0]);
    private static final CommandDraft DRAFT = new CommandDraft("reply-1", "alephee", "send", null, "marketplace.outbound", 2, 17);

    @Test
    void aLongRemoteAnswerIsCutAndMarkedAndALongMessageIsCut() {
        CommandResult r = DRAFT.result(Status.DELIVERED, null, "m".repeat(5000), 200, TextNode.valueOf("é".repeat(10_000)), 1, Instant.EPOCH);
        assertTrue(r.remoteTruncated());
        assertTrue(r.remote().asText().getBytes(StandardCharsets.UTF_8).length <= CommandDraft.MAX_REMOTE_BYTES);
        assertTrue(r.message().length() <= CommandDraft.MAX_MESSAGE_CHARS + 1);
        assertTrue(OutboundKafka.json(r.toBytes()).get("remoteTruncated").asBoolean());

        CommandResult small = DRAFT.result(Status.DELIVERED, null, null, 200, TextNode.valueOf("ok"), 1, Instant.EPOCH);
        assertFalse(small.remoteTruncated());
        assertFalse(OutboundKafka.json(small.toBytes()).has("remoteTruncated"), "the field appears only when cut");
    }

    @Test
    void whatCannotBeValidIsNotEchoed() {
        CommandDraft d = CommandDraft.of(RECORD, new CommandValidator.Echo(null, "x".repeat(5000), null, TextNode.valueOf("9".repeat(500))));
        assertEquals("marketplace.outbound-2-17", d.commandId(), "no id: the default one");
        assertTrue(d.channel().length() <= CommandDraft.MAX_ECHO_CHARS + 1);
        assertEquals("send", d.action(), "a command with a channel and no action is a send");
        assertNull(d.orderId());
    }

    @Test
    void aRemotesRefusalReadsByStatus() {
        CommandResult unavailable = RemoteAnswers.refusal(DRAFT, "Alephee", refusal(503, null, "busy"), 4, Instant.EPOCH);
        assertEquals(Status.FAILED, unavailable.status());
        assertEquals(ErrorCode.REMOTE_UNAVAILABLE, unavailable.code());
        assertEquals(4, unavailable.attempts());

        CommandResult redirect = RemoteAnswers.refusal(DRAFT, "Alephee",
                refusal(302, "https://elsewhere.example/login?API_KEY=secret", "see https://elsewhere.example/login?API_KEY=secret"), 1, Instant.EPOCH);
        assertEquals(Status.REJECTED, redirect.status());
        assertEquals(ErrorCode.REMOTE_REJECTED, redirect.code());
        assertNull(redirect.remote(), "a redirect's body is not kept");
        assertFalse(redirect.toJson().toString().contains("secret"), redirect.toJson().toString());

        CommandResult rejected = RemoteAnswers.refusal(DRAFT, "Alephee",
                refusal(404, null, """
                        {"Status":404,"Message":"Order 1 not found"}"""), 1, Instant.EPOCH);
        assertEquals(Status.REJECTED, rejected.status());
        assertEquals("Order 1 not found", rejected.message());

        CommandResult unreachable = RemoteAnswers.unreachable(DRAFT, "Lectronz", new java.net.ConnectException("refused"), 3, Instant.EPOCH);
        assertEquals(ErrorCode.REMOTE_UNAVAILABLE, unreachable.code());
        assertTrue(unreachable.message().contains("ConnectException"), unreachable.message());
    }

    private static HttpOperationFailedException refusal(int status, String location, String body) {
        return new HttpOperationFailedException("https://api.example/v2/orders/1/messages?API_KEY=secret", status, "x", location,
                Map.of(), body);
    }
}
