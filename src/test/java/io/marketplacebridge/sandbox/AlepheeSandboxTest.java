package io.marketplacebridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlepheeSandboxTest {

    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars

    private Sandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private HttpResponse<String> sendJson(Object orderId, ObjectNode body) {
        return client.alepheeJson(client.alepheeUrl(orderId), body.toString());
    }

    private static ObjectNode body(String message, Object option) {
        ObjectNode b = SandboxClient.MAPPER.createObjectNode();
        if (message != null) {
            b.put("message", message);
        }
        if (option instanceof Integer i) {
            b.put("messageOptions", i);
        } else if (option != null) {
            b.put("messageOptions", option.toString());
        }
        return b;
    }

    private static void assertStatusBody(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode json = SandboxClient.json(r);
        assertEquals(status, json.path("Status").asInt());
        assertFalse(json.path("Message").asText().isBlank(), r.body());
    }

    @Test
    void jsonSendWithBase64Document() throws Exception {
        byte[] pdf = "%PDF-1.7 invoice 900123".getBytes(StandardCharsets.UTF_8);
        ObjectNode b = body("Your invoice is attached.", 3);
        b.put("fileBase64", Base64.getEncoder().encodeToString(pdf));
        b.put("documentName", "invoice-900123");
        b.put("documentExtension", "pdf");
        HttpResponse<String> r = sendJson(900123, b);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertFalse(r.body().isBlank());

        List<AlepheeMessage> got = sandbox.alepheeMessages();
        assertEquals(1, got.size());
        AlepheeMessage m = got.get(0);
        assertEquals(900123, m.orderId());
        assertEquals("77", m.accountId());
        assertEquals(3, m.messageOption());
        assertEquals("Your invoice is attached.", m.message());
        assertEquals("invoice-900123", m.documentName());
        assertEquals("pdf", m.documentExtension());
        assertArrayEquals(pdf, m.attachment());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)), m.attachmentSha256());
        assertEquals("json", m.bodyFormat());
        assertEquals(1, sandbox.calls(Endpoint.ALEPHEE_SEND));
    }

    @Test
    void multipartSendWithFilePart() throws IOException {
        byte[] doc = new byte[3000];
        for (int i = 0; i < doc.length; i++) {
            doc[i] = (byte) i; // binary, including CR/LF and '-' bytes
        }
        HttpEntity entity = MultipartEntityBuilder.create()
                .addTextBody("message", "Factura adjunta, ¡gracias! " + EMOJI, ContentType.TEXT_PLAIN.withCharset(
                        StandardCharsets.UTF_8))
                .addTextBody("messageOptions", "4")
                .addBinaryBody("file", doc, ContentType.APPLICATION_OCTET_STREAM, "factura-77.pdf")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(out);
        HttpResponse<String> r = client.alepheeBody(client.alepheeUrl(555), entity.getContentType(), out.toByteArray());
        assertEquals(200, r.statusCode(), r.body());
        AlepheeMessage m = sandbox.alepheeMessages().get(0);
        assertEquals("multipart", m.bodyFormat());
        assertEquals(4, m.messageOption());
        assertEquals("Factura adjunta, ¡gracias! " + EMOJI, m.message());
        assertArrayEquals(doc, m.attachment());
        assertEquals("factura-77", m.documentName());
        assertEquals("pdf", m.documentExtension());
    }

    @Test
    void multipartWithoutDocument() throws IOException {
        HttpEntity entity = MultipartEntityBuilder.create().addTextBody("messageOptions", "2").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(out);
        HttpResponse<String> r = client.alepheeBody(client.alepheeUrl(556), entity.getContentType(), out.toByteArray());
        assertEquals(200, r.statusCode(), r.body());
        AlepheeMessage m = sandbox.alepheeMessages().get(0);
        assertNull(m.message());
        assertFalse(m.hasAttachment());
        assertEquals(2, m.messageOption());
    }

    @Test
    void messageIsAtMost350CodePoints() {
        assertEquals(200, sendJson(1, body(EMOJI.repeat(350), 4)).statusCode());
        assertStatusBody(sendJson(1, body(EMOJI.repeat(351), 4)), 400);
        assertStatusBody(sendJson(1, body("a".repeat(351), 4)), 400);
        assertEquals(1, sandbox.alepheeMessages().size());
        assertEquals(350, sandbox.alepheeMessages().get(0).message().codePointCount(0, 700));
    }

    @Test
    void messageOptionRules() {
        assertStatusBody(sendJson(1, body("hi", null)), 400);
        assertStatusBody(sendJson(1, body("hi", 0)), 400);
        assertStatusBody(sendJson(1, body("hi", 6)), 400);
        assertStatusBody(sendJson(1, body("hi", "OTHER")), 400);
        // 1 and 2 are fixed templates: no free text
        assertStatusBody(sendJson(1, body("please pick a colour", 1)), 400);
        assertStatusBody(sendJson(1, body("billing please", 2)), 400);
        assertEquals(200, sendJson(1, body(null, 1)).statusCode());
        assertEquals(200, sendJson(1, body("", 2)).statusCode());
        // 3, 4, 5 need text
        for (int option = 3; option <= 5; option++) {
            assertStatusBody(sendJson(1, body("   ", option)), 400);
            assertStatusBody(sendJson(1, body(null, option)), 400);
            assertEquals(200, sendJson(1, body("text", option)).statusCode());
        }
        assertEquals(200, sendJson(1, body("numeric string works", "4")).statusCode());
        assertEquals(6, sandbox.alepheeMessages().size());
    }

    @Test
    void documentRules() {
        ObjectNode bad = body("see attached", 4);
        bad.put("fileBase64", "not base64!!");
        bad.put("documentName", "x");
        bad.put("documentExtension", "pdf");
        assertStatusBody(sendJson(1, bad), 400);
        ObjectNode noName = body("see attached", 4);
        noName.put("fileBase64", "aGVsbG8=");
        assertStatusBody(sendJson(1, noName), 400);
        assertStatusBody(client.alepheeBody(client.alepheeUrl(1), "text/plain", "hi".getBytes()), 400);
        assertStatusBody(client.alepheeJson(client.alepheeUrl(1), "{broken"), 400);
        assertTrue(sandbox.alepheeMessages().isEmpty());
    }

    @Test
    void unknownOrdersAre404() {
        assertStatusBody(sendJson(Sandbox.UNKNOWN_ORDER_FROM, body("hi", 4)), 404);
        assertStatusBody(sendJson(99999999, body("hi", 4)), 404);
        assertStatusBody(sendJson("abc", body("hi", 4)), 404);
        assertEquals(200, sendJson(Sandbox.UNKNOWN_ORDER_FROM - 1, body("hi", 4)).statusCode());
    }

    @Test
    void credentialsInTheQueryAreRequired() {
        String json = body("hi", 4).toString();
        assertStatusBody(client.alepheeJson(client.alepheeUrl(1, null, "77"), json), 401);
        assertStatusBody(client.alepheeJson(client.alepheeUrl(1, "wrong", "77"), json), 401);
        assertStatusBody(client.alepheeJson(client.alepheeUrl(1, SandboxOptions.DEFAULT_ALEPHEE_API_KEY, null), json),
                401);
        assertStatusBody(client.alepheeJson(client.alepheeUrl(1, SandboxOptions.DEFAULT_ALEPHEE_API_KEY, "78"), json),
                401);
        sandbox.acceptAlepheeAccount("78");
        assertEquals(200, client.alepheeJson(client.alepheeUrl(1, SandboxOptions.DEFAULT_ALEPHEE_API_KEY, "78"), json)
                .statusCode());
        sandbox.setAlepheeApiKey("rotated");
        assertStatusBody(client.alepheeJson(client.alepheeUrl(1), json), 401);
        assertEquals(200, client.alepheeJson(client.alepheeUrl(1, "rotated", "77"), json).statusCode());
    }

    @Test
    void everyResponseCarriesRateLimitHeadersAndTheLimitGives429() {
        sandbox.setAlepheeRateLimit(3);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = i == 1 ? sendJson(1, body(null, 4)) : sendJson(1, body("hi", 4));
            assertEquals(i == 1 ? 400 : 200, r.statusCode());
            assertEquals("3", r.headers().firstValue("x-ratelimit-limit").orElseThrow());
            assertEquals(String.valueOf(2 - i), r.headers().firstValue("x-ratelimit-remaining").orElseThrow());
            long reset = Long.parseLong(r.headers().firstValue("x-ratelimit-reset").orElseThrow());
            assertTrue(reset >= 1 && reset <= 60, "reset " + reset);
            assertEquals("0", r.headers().firstValue("x-ratelimit-retryafter").orElseThrow());
        }
        HttpResponse<String> limited = sendJson(1, body("hi", 4));
        assertStatusBody(limited, 429);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60);
        assertEquals(String.valueOf(retryAfter), limited.headers().firstValue("x-ratelimit-retryafter").orElseThrow());
        assertEquals("0", limited.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        // the limit is per API key
        sandbox.setAlepheeApiKey("other-key");
        sandbox.setAlepheeRateLimit(3);
        HttpResponse<String> other = client.alepheeJson(client.alepheeUrl(1, "other-key", "77"),
                body("hi", 4).toString());
        assertEquals(200, other.statusCode());
        assertEquals(3, sandbox.alepheeMessages().size());
    }

    @Test
    void conversationRulesWhenSwitchedOn() {
        sandbox.enableConversationRules(700);
        assertEquals(200, sendJson(700, body("first question", 4)).statusCode());
        assertStatusBody(sendJson(700, body("second before reply", 4)), 409);
        ObjectNode withDoc = body("invoice", 3);
        withDoc.put("fileBase64", "aGVsbG8=");
        withDoc.put("documentName", "inv");
        withDoc.put("documentExtension", "pdf");
        sandbox.enableConversationRules(701);
        assertStatusBody(sendJson(701, withDoc), 412);
        sandbox.buyerReplied(700);
        assertEquals(200, sendJson(700, withDoc).statusCode());
        sandbox.buyerReplied(700);
        assertStatusBody(sendJson(700, body("other reason", 4)), 409);
        assertEquals(200, sendJson(700, body("same reason", 3)).statusCode());
        // orders without rules take anything
        assertEquals(200, sendJson(702, body("a", 4)).statusCode());
        assertEquals(200, sendJson(702, body("b", 4)).statusCode());
    }
}
