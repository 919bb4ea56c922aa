package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketplacebridge.sandbox.AlepheeMessage;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/** The whole bridge (outbound half) against the real broker and the sandbox, json body format. */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundDeliveryTest {

    private static Sandbox sandbox;
    private static OutboundKafka kafka;
    private static BridgeRunner bridge;
    private static Path attachmentDir;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
        kafka = new OutboundKafka();
        attachmentDir = Files.createTempDirectory("outbound-attachments");
        Map<String, String> props = kafka.bridgeProperties(sandbox);
        props.put("bridge.attachment.dir", attachmentDir.toString());
        props.put("bridge.attachment.hosts", "files.example.com");
        props.put("bridge.outbound.max-command-bytes", "65536");
        props.put("bridge.outbound.retry-timeout", "10s");
        bridge = BridgeRunner.start(props);
        kafka.awaitTopics();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        kafka.close();
        sandbox.close();
    }

    private static String alephee(String extra) {
        return "{\"channel\":\"alephee\"," + extra + "}";
    }

    @Test
    void lectronzSendAndMarkAsRead() {
        var sent = kafka.send("5001", "{\"id\":\"lz-1\",\"channel\":\"lectronz\",\"orderId\":5001,\"content\":\"Shipped today\"}",
                "correlation-id", "corr-lz-1");
        JsonNode r = kafka.resultFor(sent);
        assertEquals("DELIVERED", r.get("status").asText(), r.toString());
        assertEquals(201, r.get("httpStatus").asInt());
        assertEquals("lz-1", r.get("commandId").asText());
        assertEquals("lectronz", r.get("channel").asText());
        assertEquals("send", r.get("action").asText());
        assertEquals(5001, r.get("orderId").asLong());
        assertEquals(1, r.get("attempts").asInt());
        assertTrue(r.get("remote").isObject(), "the created message");
        assertEquals(kafka.commands, r.get("source").get("topic").asText());
        assertTrue(r.has("code") && r.get("code").isNull());
        LectronzMessage created = receivedOnce(sandbox.createdMessages().stream().filter(m -> m.orderId() == 5001).toList());
        assertEquals("Shipped today", created.content());
        assertEquals(LectronzMessage.SELLER, created.type());

        LectronzMessage question = sandbox.addCustomerMessage(5002, "Where is my order?");
        var mark = kafka.send("5002", "{\"channel\":\"lectronz\",\"action\":\"mark_as_read\",\"messageId\":" + question.id() + "}");
        JsonNode marked = kafka.resultFor(mark);
        assertEquals("DELIVERED", marked.get("status").asText(), marked.toString());
        assertEquals("mark_as_read", marked.get("action").asText());
        assertEquals(mark.defaultId(kafka.commands), marked.get("commandId").asText());
        assertNotNull(sandbox.message(question.id()).orElseThrow().readAt());

        // only customer messages can be marked read: Lectronz's own words come back
        var refused = kafka.send("5001", "{\"channel\":\"lectronz\",\"action\":\"mark_as_read\",\"messageId\":" + created.id() + "}");
        JsonNode rejected = kafka.resultFor(refused);
        assertEquals("REJECTED", rejected.get("status").asText());
        assertEquals("REMOTE_REJECTED", rejected.get("code").asText());
        assertEquals(422, rejected.get("httpStatus").asInt());
        assertTrue(rejected.get("message").asText().contains("customer_order_message"), rejected.toString());
    }

    @Test
    void alepheeEveryReason() {
        List<OutboundKafka.RecordMetadataView> sent = new ArrayList<>();
        sent.add(kafka.send("6001", alephee("\"orderId\":6001,\"reason\":\"REQUEST_VARIANTS\"")));
        sent.add(kafka.send("6002", alephee("\"orderId\":6002,\"reason\":2")));
        sent.add(kafka.send("6003", alephee("\"orderId\":6003,\"reason\":\"SEND_INVOICE_LINK\",\"content\":\"https://inv/1\"")));
        sent.add(kafka.send("6004", alephee("\"orderId\":6004,\"content\":\"Default reason is OTHER\"")));
        sent.add(kafka.send("6005", alephee("\"orderId\":6005,\"reason\":\"5\",\"content\":\"Tomorrow\",\"accountId\":77")));
        for (int i = 0; i < sent.size(); i++) {
            JsonNode r = kafka.resultFor(sent.get(i));
            assertEquals("DELIVERED", r.get("status").asText(), r.toString());
            assertEquals(200, r.get("httpStatus").asInt());
            long order = 6001 + i;
            AlepheeMessage m = receivedOnce(sandbox.alepheeMessages().stream().filter(a -> a.orderId() == order).toList());
            assertEquals(i + 1, m.messageOption());
            assertEquals("json", m.bodyFormat());
            assertEquals("77", m.accountId());
            assertTrue(r.get("remote").asText().contains("sent to order " + order), r.toString());
        }
        assertNull(sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 6001).findFirst().orElseThrow().message());
    }

    @Test
    void alepheeAttachmentsFromBase64AndPath() throws Exception {
        byte[] doc = new byte[300_001];
        new Random(7).nextBytes(doc);
        Files.write(attachmentDir.resolve("invoice-7001.pdf"), doc);
        var byPath = kafka.send("7001", alephee("\"orderId\":7001,\"reason\":3,\"content\":\"Invoice attached\","
                + "\"attachment\":{\"path\":\"invoice-7001.pdf\",\"filename\":\"invoice-7001.pdf\"}"));
        byte[] small = "hello, invoice".getBytes(StandardCharsets.UTF_8);
        var byBase64 = kafka.send("7002", alephee("\"orderId\":7002,\"content\":\"See file\","
                + "\"attachment\":{\"base64\":\"" + Base64.getEncoder().encodeToString(small) + "\",\"filename\":\"note.txt\"}"));
        assertEquals("DELIVERED", kafka.resultFor(byPath).get("status").asText(), kafka.resultFor(byPath).toString());
        assertEquals("DELIVERED", kafka.resultFor(byBase64).get("status").asText());
        AlepheeMessage p = receivedOnce(sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 7001).toList());
        assertArrayEquals(doc, p.attachment());
        assertEquals("invoice-7001", p.documentName());
        assertEquals("pdf", p.documentExtension());
        AlepheeMessage b = receivedOnce(sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 7002).toList());
        assertArrayEquals(small, b.attachment());
        assertEquals("txt", b.documentExtension());

        // guards: outside the folder, plain http, unknown file, lectronz
        Files.writeString(attachmentDir.getParent().resolve("outside-" + attachmentDir.getFileName() + ".pdf"), "secret");
        var outside = kafka.send("7003", alephee("\"orderId\":7003,\"content\":\"x\",\"attachment\":{\"path\":\"../outside-"
                + attachmentDir.getFileName() + ".pdf\",\"filename\":\"a.pdf\"}"));
        var http = kafka.send("7004", alephee("\"orderId\":7004,\"content\":\"x\",\"attachment\":{\"url\":\"http://files.example.com/a.pdf\",\"filename\":\"a.pdf\"}"));
        var missing = kafka.send("7005", alephee("\"orderId\":7005,\"content\":\"x\",\"attachment\":{\"path\":\"nope.pdf\",\"filename\":\"a.pdf\"}"));
        var lectronz = kafka.send("7006", "{\"channel\":\"lectronz\",\"orderId\":7006,\"content\":\"x\",\"attachment\":{\"path\":\"invoice-7001.pdf\",\"filename\":\"a.pdf\"}}");
        assertEquals("ATTACHMENT_FORBIDDEN", kafka.resultFor(outside).get("code").asText());
        assertEquals("ATTACHMENT_FORBIDDEN", kafka.resultFor(http).get("code").asText());
        assertEquals("ATTACHMENT_UNAVAILABLE", kafka.resultFor(missing).get("code").asText());
        assertEquals("ATTACHMENT_NOT_SUPPORTED", kafka.resultFor(lectronz).get("code").asText());
        assertTrue(sandbox.alepheeMessages().stream().noneMatch(a -> a.orderId() >= 7003 && a.orderId() <= 7006));
    }

    @Test
    void badCommandsInterleavedWithGoodOnesNeverBlockTheStream() {
        String key = "8000";
        List<OutboundKafka.RecordMetadataView> sent = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        sent.add(kafka.send(key, alephee("\"orderId\":8001,\"content\":\"good 1\""), "correlation-id", "c-1"));
        expected.add("DELIVERED");
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 42, (byte) 0x80};
        sent.add(kafka.send(key, garbage, "correlation-id", "c-2", "x-trace", "t-2"));
        expected.add("MALFORMED_COMMAND");
        sent.add(kafka.send(null, (byte[]) null));
        expected.add("MALFORMED_COMMAND");
        sent.add(kafka.send(key, "{\"channel\":\"fax\",\"orderId\":1,\"content\":\"x\"}"));
        expected.add("UNKNOWN_CHANNEL");
        sent.add(kafka.send(key, "{" + "\"a\":{".repeat(2000) + "}".repeat(2001)));
        expected.add("MALFORMED_COMMAND");
        sent.add(kafka.send(key, "{\"channel\":\"alephee\",\"orderId\":8002,\"content\":\"" + "x".repeat(70_000) + "\"}"));
        expected.add("COMMAND_TOO_LARGE");
        sent.add(kafka.send(key, alephee("\"orderId\":8003,\"content\":\"" + "é".repeat(351) + "\"")));
        expected.add("CONTENT_TOO_LONG");
        sent.add(kafka.send(key, alephee("\"orderId\":8004,\"reason\":\"SHOUT\",\"content\":\"x\"")));
        expected.add("INVALID_REASON");
        sent.add(kafka.send(key, alephee("\"orderId\":8005,\"content\":\"good 2\"")));
        expected.add("DELIVERED");
        sent.add(kafka.send(key, alephee("\"orderId\":90000001,\"content\":\"unknown order\""), "correlation-id", "c-404"));
        expected.add("REMOTE_REJECTED");
        sent.add(kafka.send(key, alephee("\"orderId\":8006,\"content\":\"good 3\"")));
        expected.add("DELIVERED");

        for (int i = 0; i < sent.size(); i++) {
            JsonNode r = kafka.resultFor(sent.get(i));
            String got = "DELIVERED".equals(r.get("status").asText()) ? "DELIVERED" : r.get("code").asText();
            assertEquals(expected.get(i), got, r.toString());
            if (!"DELIVERED".equals(got)) {
                assertEquals("REJECTED", r.get("status").asText());
                assertFalse(r.get("message").asText().isBlank());
            }
        }
        JsonNode notFound = kafka.resultFor(sent.get(9));
        assertEquals(404, notFound.get("httpStatus").asInt());
        assertTrue(notFound.get("message").asText().contains("not found"), notFound.toString());
        // delivered in key order
        List<Long> orders = sandbox.alepheeMessages().stream().map(AlepheeMessage::orderId).filter(o -> o > 8000 && o < 8010).toList();
        assertEquals(List.of(8001L, 8005L, 8006L), orders);

        // exactly one result per record, correlation ids carried over
        List<ConsumerRecord<String, byte[]>> results = kafka.results(0, Duration.ZERO);
        for (var s : sent) {
            long n = results.stream().map(rec -> OutboundKafka.json(rec.value()).get("source"))
                    .filter(src -> src.get("partition").asInt() == s.partition() && src.get("offset").asLong() == s.offset()).count();
            assertEquals(1, n, "one result for " + s);
        }
        ConsumerRecord<String, byte[]> first = results.stream()
                .filter(rec -> OutboundKafka.json(rec.value()).get("source").get("offset").asLong() == sent.get(0).offset()
                        && OutboundKafka.json(rec.value()).get("source").get("partition").asInt() == sent.get(0).partition())
                .findFirst().orElseThrow();
        assertEquals("c-1", OutboundKafka.header(first, "correlation-id"));
        assertEquals(key, first.key());

        // dead letters: original bytes and headers, plus the error headers
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.clear();
            kafka.deadLetters(0, Duration.ZERO).stream().filter(d -> key.equals(d.key()) || d.key() == null).forEach(dead::add);
            return dead.stream().filter(d -> String.valueOf(sent.get(1).offset()).equals(OutboundKafka.header(d, "source-offset"))
                    && String.valueOf(sent.get(1).partition()).equals(OutboundKafka.header(d, "source-partition"))).count() == 1
                    && dead.stream().anyMatch(d -> "c-404".equals(OutboundKafka.header(d, "correlation-id")));
        });
        ConsumerRecord<String, byte[]> g = dead.stream()
                .filter(d -> "c-2".equals(OutboundKafka.header(d, "correlation-id"))).findFirst().orElseThrow();
        assertArrayEquals(garbage, g.value());
        assertEquals("t-2", OutboundKafka.header(g, "x-trace"));
        assertEquals("MALFORMED_COMMAND", OutboundKafka.header(g, "error-code"));
        assertFalse(OutboundKafka.header(g, "error-message").isBlank());
        assertEquals(kafka.commands, OutboundKafka.header(g, "source-topic"));
        ConsumerRecord<String, byte[]> remote = dead.stream()
                .filter(d -> "c-404".equals(OutboundKafka.header(d, "correlation-id"))).findFirst().orElseThrow();
        assertEquals("REMOTE_REJECTED", OutboundKafka.header(remote, "error-code"));
        assertEquals(alephee("\"orderId\":90000001,\"content\":\"unknown order\""), new String(remote.value(), StandardCharsets.UTF_8));
    }

    /** The one message the sandbox received for a command: a second one would be a re-send. */
    private static <T> T receivedOnce(List<T> received) {
        assertEquals(1, received.size(), "received " + received.size() + " times");
        return received.get(0);
    }

    @Test
    void serverErrorsAreRetriedThenDelivered() {
        long before = sandbox.calls(Endpoint.ALEPHEE_SEND);
        sandbox.failNext(Sandbox.ALEPHEE, 2, 503);
        JsonNode r = kafka.resultFor(kafka.send("9001", alephee("\"orderId\":9001,\"content\":\"after a burst\"")));
        assertEquals("DELIVERED", r.get("status").asText(), r.toString());
        assertEquals(3, r.get("attempts").asInt());
        assertEquals(3, sandbox.calls(Endpoint.ALEPHEE_SEND) - before, "the attempts are the calls the sandbox saw");
        receivedOnce(sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 9001).toList());
    }

    @Test
    void rateLimitWaitsForRetryAfter() {
        long before = sandbox.calls(Endpoint.ALEPHEE_SEND);
        sandbox.rateLimitNext(Sandbox.ALEPHEE, 1, 2);
        long start = System.nanoTime();
        JsonNode r = kafka.resultFor(kafka.send("9002", alephee("\"orderId\":9002,\"content\":\"patience\"")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("DELIVERED", r.get("status").asText(), r.toString());
        assertEquals(2, r.get("attempts").asInt());
        assertEquals(2, sandbox.calls(Endpoint.ALEPHEE_SEND) - before, "the attempts are the calls the sandbox saw");
        receivedOnce(sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 9002).toList());
        assertTrue(elapsedMs >= 2000, "waited " + elapsedMs + " ms, Retry-After said 2 s");
    }

    @Test
    void retriesExhaustedFail() {
        long before = sandbox.calls(Endpoint.LECTRONZ_CREATE);
        // down for longer than the retries last (by count, or by the outbound retry budget of 10 s set above)
        sandbox.failNext(Sandbox.LECTRONZ, 1000, 500);
        JsonNode r;
        try {
            var sent = kafka.send("9003", "{\"channel\":\"lectronz\",\"orderId\":9003,\"content\":\"down\"}", "correlation-id", "c-down");
            r = kafka.resultFor(sent);
        } finally {
            sandbox.clearFaults();
        }
        assertEquals("FAILED", r.get("status").asText(), r.toString());
        assertEquals("REMOTE_UNAVAILABLE", r.get("code").asText());
        assertTrue(r.get("attempts").asInt() > 1, "retried: " + r);
        assertEquals(500, r.get("httpStatus").asInt());
        assertEquals(r.get("attempts").asLong(), sandbox.calls(Endpoint.LECTRONZ_CREATE) - before, "the attempts are the calls the sandbox saw");
        assertTrue(sandbox.createdMessages().stream().noneMatch(m -> m.orderId() == 9003));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> kafka.deadLetters(0, Duration.ZERO).stream()
                .anyMatch(d -> "c-down".equals(OutboundKafka.header(d, "correlation-id"))
                        && "REMOTE_UNAVAILABLE".equals(OutboundKafka.header(d, "error-code"))));
    }

    @Test
    void anIdAlreadyDeliveredIsNotSentAgain() {
        var first = kafka.send("9004", alephee("\"id\":\"once-9004\",\"orderId\":9004,\"content\":\"only once\""));
        assertEquals("DELIVERED", kafka.resultFor(first).get("status").asText());
        var again = kafka.send("9004", alephee("\"id\":\"once-9004\",\"orderId\":9004,\"content\":\"only once\""));
        JsonNode r = kafka.resultFor(again);
        assertEquals("DUPLICATE", r.get("status").asText(), r.toString());
        assertEquals("once-9004", r.get("commandId").asText());
        assertEquals(1, sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 9004).count());
    }

    @Test
    void secretsNeverReachResults() {
        var r = kafka.send("9005", alephee("\"orderId\":90000002,\"content\":\"x\""));
        String text = kafka.resultFor(r).toString();
        assertFalse(text.contains(SandboxOptions.DEFAULT_ALEPHEE_API_KEY), text);
    }

    @Test
    void refusedAlepheeCredentialsTurnTheAlepheeHealthCheckDownUntilACallSucceeds() {
        sandbox.setAlepheeApiKey("rotated-key");
        try {
            JsonNode r = kafka.resultFor(kafka.send("9006", alephee("\"orderId\":9006,\"content\":\"who am I\"")));
            assertEquals("REJECTED", r.get("status").asText(), r.toString());
            assertEquals(401, r.get("httpStatus").asInt());
            var health = org.apache.camel.health.HealthCheckHelper.invoke(bridge.context(), "alephee", null).orElseThrow();
            assertEquals(org.apache.camel.health.HealthCheck.State.DOWN, health.getState());
            assertTrue(health.getMessage().orElse("").contains("ALEPHEE_API_KEY"), health.getMessage().toString());
        } finally {
            sandbox.setAlepheeApiKey(SandboxOptions.DEFAULT_ALEPHEE_API_KEY);
        }
        JsonNode ok = kafka.resultFor(kafka.send("9007", alephee("\"orderId\":9007,\"content\":\"back\"")));
        assertEquals("DELIVERED", ok.get("status").asText(), ok.toString());
        assertEquals(org.apache.camel.health.HealthCheck.State.UP,
                org.apache.camel.health.HealthCheckHelper.invoke(bridge.context(), "alephee", null).orElseThrow().getState());
    }
}
