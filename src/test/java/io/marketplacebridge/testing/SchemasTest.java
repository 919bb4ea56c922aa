package io.marketplacebridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.marketplacebridge.outbound.CommandResult;
import io.marketplacebridge.outbound.ErrorCode;
import io.marketplacebridge.sandbox.LectronzMessage;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The inbound and result schemas accept what the bridge and the sandbox write, and refuse what breaks the contract. */
class SchemasTest {

    private static final Instant AT = Instant.parse("2026-11-23T19:30:00.123Z");

    @ParameterizedTest
    @ValueSource(strings = {"inbound-message", "command", "result"})
    void givenAPublishedSchema_whenCheckedAgainstTheDraft202012MetaSchema_thenValid(String name) throws Exception {
        Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        byte[] schema;
        try (var in = SchemasTest.class.getResourceAsStream("/schemas/" + name + ".schema.json")) {
            schema = in.readAllBytes();
        }

        assertEquals(List.of(), Schemas.problems(metaSchema, schema));
        assertTrue(new String(schema, StandardCharsets.UTF_8).contains("\"https://json-schema.org/draft/2020-12/schema\""));
    }

    @Test
    void givenSandboxMessages_whenValidatedAsInbound_thenValid() {
        var plain = new LectronzMessage(5001, LectronzMessage.CUSTOMER, 900123, "Where is my parcel?", null, AT, AT, null);
        var withAttachment = new LectronzMessage(5002, LectronzMessage.REFUND, 900123, "Photo of the damage",
                new LectronzMessage.Attachment("https://lectronz.com/files/1.jpg", "damage.jpg", "image/jpeg"),
                AT, AT.plusSeconds(60), AT.plusSeconds(60));

        Schemas.assertValidInbound(bytes(plain.toDetailJson()));
        Schemas.assertValidInbound(bytes(withAttachment.toDetailJson()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // unknown type
            """
            {"id": 1, "content": "x", "type": "private_message", "subject": {"id": 2, "type": "order"},
             "created_at": "2026-11-23T19:30:00Z", "updated_at": "2026-11-23T19:30:00Z", "read_at": null}""",
            // updated_at is not RFC 3339
            """
            {"id": 1, "content": "x", "type": "seller_order_message", "subject": {"id": 2, "type": "order"},
             "created_at": "2026-11-23T19:30:00Z", "updated_at": "23/11/2026 19:30", "read_at": null}""",
            // subject is not an order
            """
            {"id": 1, "content": "x", "type": "seller_order_message", "subject": {"id": 2, "type": "customer"},
             "created_at": "2026-11-23T19:30:00Z", "updated_at": "2026-11-23T19:30:00Z", "read_at": null}""",
            // read_at missing (it is null when unread, never absent)
            """
            {"id": 1, "content": "x", "type": "seller_order_message", "subject": {"id": 2, "type": "order"},
             "created_at": "2026-11-23T19:30:00Z", "updated_at": "2026-11-23T19:30:00Z"}"""})
    void givenABrokenMessage_whenValidatedAsInbound_thenRefused(String message) {
        assertThrows(AssertionError.class, () -> Schemas.assertValidInbound(bytes(message)));
    }

    @Test
    void givenResultsTheBridgeWrites_whenValidated_thenValid() {
        var delivered = new CommandResult("reply-42", "alephee", "send", IntNode.valueOf(900123), CommandResult.Status.DELIVERED,
                null, null, 200, TextNode.valueOf("OK"), 1, "marketplace.outbound", 0, 17, AT, false);
        var rejected = new CommandResult("marketplace.outbound-2-9", null, null, null, CommandResult.Status.REJECTED,
                ErrorCode.MALFORMED_COMMAND, "The command is not valid JSON", null, null, 0, "marketplace.outbound", 2, 9, AT, false);

        Schemas.assertValidResult(delivered.toBytes());
        Schemas.assertValidResult(rejected.toBytes());
        Schemas.assertValidResult(bytes("""
                {"commandId": "r-1", "channel": "lectronz", "action": "send", "orderId": "A-1",
                 "status": "FAILED", "code": "INTERNAL_ERROR", "message": "The bridge could not handle this command",
                 "httpStatus": null, "remote": "<html>…", "remoteTruncated": true, "attempts": 1,
                 "source": {"topic": "marketplace.outbound", "partition": 0, "offset": 3},
                 "timestamp": "2026-11-23T19:30:00.123Z"}"""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // REJECTED without a code
            """
            {"commandId": "r-1", "channel": null, "action": null, "orderId": null, "status": "REJECTED", "code": null,
             "message": "bad", "httpStatus": null, "attempts": 0,
             "source": {"topic": "t", "partition": 0, "offset": 3}, "timestamp": "2026-11-23T19:30:00Z"}""",
            // DELIVERED with a code
            """
            {"commandId": "r-1", "channel": "alephee", "action": "send", "orderId": 1, "status": "DELIVERED",
             "code": "REMOTE_REJECTED", "message": null, "httpStatus": 200, "attempts": 1,
             "source": {"topic": "t", "partition": 0, "offset": 3}, "timestamp": "2026-11-23T19:30:00Z"}""",
            // a code the contract does not know
            """
            {"commandId": "r-1", "channel": "alephee", "action": "send", "orderId": 1, "status": "FAILED",
             "code": "OOPS", "message": "x", "httpStatus": 500, "attempts": 6,
             "source": {"topic": "t", "partition": 0, "offset": 3}, "timestamp": "2026-11-23T19:30:00Z"}""",
            // timestamp is not RFC 3339
            """
            {"commandId": "r-1", "channel": "alephee", "action": "send", "orderId": 1, "status": "DELIVERED",
             "code": null, "message": null, "httpStatus": 200, "attempts": 1,
             "source": {"topic": "t", "partition": 0, "offset": 3}, "timestamp": "1732390200"}""",
            // remoteTruncated must be a boolean
            """
            {"commandId": "r-1", "channel": "alephee", "action": "send", "orderId": 1, "status": "DELIVERED",
             "code": null, "message": null, "httpStatus": 200, "attempts": 1, "remoteTruncated": "yes",
             "source": {"topic": "t", "partition": 0, "offset": 3}, "timestamp": "2026-11-23T19:30:00Z"}""",
            // no source
            """
            {"commandId": "r-1", "channel": "alephee", "action": "send", "orderId": 1, "status": "DELIVERED",
             "code": null, "message": null, "httpStatus": 200, "attempts": 1, "timestamp": "2026-11-23T19:30:00Z"}"""})
    void givenABrokenResult_whenValidated_thenRefused(String result) {
        assertThrows(AssertionError.class, () -> Schemas.assertValidResult(bytes(result)));
    }

    @Test
    void givenNotJson_whenValidated_thenTheProblemSaysSo() {
        List<String> problems = Schemas.problems(Schemas.RESULT, bytes("{\"status\": "));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("not JSON"), problems.toString());
        assertFalse(Schemas.problems(Schemas.COMMAND, bytes("""
                {"channel": "lectronz", "orderId": 1, "content": "hi"}""")).size() > 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
