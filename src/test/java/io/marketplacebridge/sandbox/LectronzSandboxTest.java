package io.marketplacebridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LectronzSandboxTest {

    private Sandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(45));
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void everyCallNeedsTheBearerToken() {
        for (String token : new String[] {null, "wrong-token"}) {
            HttpResponse<String> r = client.lectronz("GET", "/messages", token, null);
            assertEquals(401, r.statusCode());
            assertTrue(SandboxClient.json(r).path("errors").isObject(), r.body());
        }
        assertEquals(401, client.lectronz("GET", "/messages/5001", null, null).statusCode());
        assertEquals(401, client.lectronz("POST", "/messages/5001/mark_as_read", "nope", null).statusCode());
        assertEquals(200, client.get("/messages").statusCode());
    }

    @Test
    void tokenCanBeChangedAtRuntime() {
        sandbox.setLectronzToken("rotated");
        assertEquals(401, client.get("/messages").statusCode());
        assertEquals(200, client.lectronz("GET", "/messages", "rotated", null).statusCode());
    }

    @Test
    void listPagesNewestFirstWithDefaultLimit20() {
        JsonNode first = SandboxClient.json(client.get("/messages"));
        assertEquals(20, first.path("limit").asInt());
        assertEquals(0, first.path("offset").asInt());
        assertEquals(45, first.path("total_count").asInt());
        assertEquals(20, first.path("messages").size());
        JsonNode item = first.path("messages").get(0);
        assertEquals(List.of("id", "type", "created_at", "updated_at"), fieldNames(item));

        List<Long> ids = new ArrayList<>();
        for (int offset = 0; offset < 60; offset += 20) {
            JsonNode page = SandboxClient.json(client.get("/messages?limit=20&offset=" + offset));
            page.path("messages").forEach(m -> ids.add(m.path("id").asLong()));
        }
        List<Long> expected = sandbox.messages().stream()
                .sorted(Comparator.comparing(LectronzMessage::createdAt).thenComparing(LectronzMessage::id).reversed())
                .map(LectronzMessage::id).toList();
        assertEquals(45, expected.size());
        assertEquals(expected, ids);
        JsonNode last = SandboxClient.json(client.get("/messages?limit=20&offset=40"));
        assertEquals(5, last.path("messages").size());
        assertEquals(0, SandboxClient.json(client.get("/messages?offset=45")).path("messages").size());
    }

    @Test
    void newMessagesComeFirstAndTimestampsHaveMilliseconds() {
        LectronzMessage added = sandbox.addCustomerMessage(10001, "Is it shipped?");
        JsonNode top = SandboxClient.json(client.get("/messages?limit=1")).path("messages").get(0);
        assertEquals(added.id(), top.path("id").asLong());
        assertTrue(top.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                top.toString());
        assertEquals(46, SandboxClient.json(client.get("/messages")).path("total_count").asInt());
    }

    @Test
    void badPagingParametersAre400AndLimitIsCapped() {
        for (String q : new String[] {"limit=-1", "limit=abc", "limit=0", "offset=-5", "offset=x"}) {
            HttpResponse<String> r = client.get("/messages?" + q);
            assertEquals(400, r.statusCode(), q);
            assertTrue(SandboxClient.json(r).path("errors").size() > 0, r.body());
        }
        JsonNode capped = SandboxClient.json(client.get("/messages?limit=1000"));
        assertEquals(100, capped.path("limit").asInt());
        assertEquals(45, capped.path("messages").size());
    }

    @Test
    void detailIsTheFullMessage() {
        LectronzMessage withAttachment = sandbox.messages().stream().filter(m -> m.attachment() != null)
                .findFirst().orElseThrow();
        JsonNode detail = SandboxClient.json(client.get("/messages/" + withAttachment.id()));
        assertEquals(List.of("id", "content", "attachment", "type", "subject", "created_at", "updated_at", "read_at"),
                fieldNames(detail));
        assertEquals(withAttachment.attachment().filename(), detail.path("attachment").path("filename").asText());
        assertEquals("order", detail.path("subject").path("type").asText());
        assertEquals(withAttachment.orderId(), detail.path("subject").path("id").asLong());
        assertTrue(detail.path("subject").path("link").asText().endsWith("/" + withAttachment.orderId()));

        LectronzMessage plain = sandbox.addCustomerMessage(10002, "no attachment");
        JsonNode p = SandboxClient.json(client.get("/messages/" + plain.id()));
        assertFalse(p.has("attachment"));
        assertTrue(p.path("read_at").isNull());
        assertEquals(plain.toDetailJson(), client.get("/messages/" + plain.id()).body());

        HttpResponse<String> missing = client.get("/messages/999999");
        assertEquals(404, missing.statusCode());
        assertTrue(SandboxClient.json(missing).has("errors"));
        assertEquals(404, client.get("/messages/abc").statusCode());
    }

    @Test
    void seedHasAllThreeTypesAndIncreasingIds() {
        List<LectronzMessage> all = sandbox.messages();
        assertTrue(all.stream().anyMatch(m -> m.type().equals(LectronzMessage.CUSTOMER)));
        assertTrue(all.stream().anyMatch(m -> m.type().equals(LectronzMessage.SELLER)));
        assertTrue(all.stream().anyMatch(m -> m.type().equals(LectronzMessage.REFUND)));
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).id() > all.get(i - 1).id());
            assertTrue(all.get(i).createdAt().isAfter(all.get(i - 1).createdAt()));
        }
        assertTrue(all.get(all.size() - 1).createdAt().isBefore(Instant.now().plusMillis(1)));
    }

    @Test
    void markAsReadSetsReadAtAndBumpsUpdatedAt() {
        LectronzMessage unread = sandbox.addCustomerMessage(10003, "Hello?");
        HttpResponse<String> r = client.post("/messages/" + unread.id() + "/mark_as_read", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode read = SandboxClient.json(r);
        assertFalse(read.path("read_at").isNull());
        Instant updated = Instant.parse(read.path("updated_at").asText());
        assertTrue(updated.isAfter(unread.updatedAt()), read.toString());
        // the list shows the change, which is how the bridge detects it
        JsonNode top = SandboxClient.json(client.get("/messages?limit=1")).path("messages").get(0);
        assertEquals(read.path("updated_at").asText(), top.path("updated_at").asText());
        // reading again changes nothing
        assertEquals(read.path("updated_at").asText(),
                SandboxClient.json(client.post("/messages/" + unread.id() + "/mark_as_read", null))
                        .path("updated_at").asText());
        assertEquals(2, sandbox.calls(Endpoint.LECTRONZ_MARK_AS_READ));
    }

    @Test
    void markAsReadOnlyForCustomerMessages() {
        LectronzMessage seller = sandbox.addMessage(LectronzMessage.SELLER, 10004, "We ship today.", null);
        HttpResponse<String> r = client.post("/messages/" + seller.id() + "/mark_as_read", null);
        assertEquals(422, r.statusCode());
        assertTrue(SandboxClient.json(r).path("errors").has("type"), r.body());
        assertEquals(404, client.post("/messages/424242/mark_as_read", null).statusCode());
    }

    @Test
    void touchBumpsUpdatedAtStrictly() {
        LectronzMessage m = sandbox.addCustomerMessage(10005, "x");
        LectronzMessage once = sandbox.touchMessage(m.id());
        LectronzMessage twice = sandbox.touchMessage(m.id());
        assertTrue(once.updatedAt().isAfter(m.updatedAt()));
        assertTrue(twice.updatedAt().isAfter(once.updatedAt()));
        assertEquals(twice.updatedAtText(),
                SandboxClient.json(client.get("/messages/" + m.id())).path("updated_at").asText());
    }

    @Test
    void createSellerMessage() {
        HttpResponse<String> r = client.post("/messages",
                "{\"content\":\"Your parcel left today.\",\"type\":\"seller_order_message\","
                        + "\"subject\":{\"id\":10006,\"type\":\"order\"}}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode created = SandboxClient.json(r);
        assertEquals("seller_order_message", created.path("type").asText());
        assertEquals(10006, created.path("subject").path("id").asLong());
        assertEquals("Your parcel left today.", created.path("content").asText());
        assertEquals(1, sandbox.createdMessages().size());
        assertEquals(created.path("id").asLong(), sandbox.createdMessages().get(0).id());
        JsonNode top = SandboxClient.json(client.get("/messages?limit=1")).path("messages").get(0);
        assertEquals(created.path("id").asLong(), top.path("id").asLong());
        assertEquals(1, sandbox.calls(Endpoint.LECTRONZ_CREATE));
    }

    @Test
    void createValidation() {
        String[][] cases = {
            {"{\"type\":\"seller_order_message\",\"subject\":{\"id\":1,\"type\":\"order\"}}", "content"},
            {"{\"content\":\"  \",\"type\":\"seller_order_message\",\"subject\":{\"id\":1,\"type\":\"order\"}}",
                "content"},
            {"{\"content\":\"hi\",\"type\":\"customer_order_message\",\"subject\":{\"id\":1,\"type\":\"order\"}}",
                "type"},
            {"{\"content\":\"hi\",\"type\":\"seller_order_message\",\"subject\":{\"id\":1,\"type\":\"product\"}}",
                "subject"},
            {"{\"content\":\"hi\",\"type\":\"seller_order_message\"}", "subject"},
            {"{\"content\":\"hi\",\"type\":\"seller_order_message\",\"subject\":{\"id\":90000001,\"type\":\"order\"}}",
                "subject"},
            {"{\"content\":\"hi\",\"type\":\"seller_order_message\",\"subject\":{\"id\":1,\"type\":\"order\"},"
                + "\"attachment\":{\"url\":\"https://x/y.pdf\"}}", "attachment"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = client.post("/messages", c[0]);
            assertEquals(422, r.statusCode(), c[0]);
            assertTrue(SandboxClient.json(r).path("errors").has(c[1]), r.body());
        }
        HttpResponse<String> wrongType = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sandbox.lectronzBaseUrl() + "/messages"))
                .header("Authorization", "Bearer " + SandboxOptions.DEFAULT_LECTRONZ_TOKEN)
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(cases[0][0])).build());
        assertEquals(415, wrongType.statusCode());
        assertTrue(SandboxClient.json(wrongType).has("errors"));
        HttpResponse<String> notJson = client.post("/messages", "{nope");
        assertEquals(400, notJson.statusCode());
        assertNotNull(SandboxClient.json(notJson).get("errors"));
        assertTrue(sandbox.createdMessages().isEmpty());
    }

    @Test
    void unknownPathIs404WithErrors() {
        HttpResponse<String> r = client.get("/orders");
        assertEquals(404, r.statusCode());
        assertTrue(SandboxClient.json(r).has("errors"));
    }

    @Test
    void countersCountEachEndpointAndReset() {
        client.get("/messages");
        client.get("/messages?offset=20");
        client.get("/messages/5001");
        assertEquals(2, sandbox.calls(Endpoint.LECTRONZ_LIST));
        assertEquals(1, sandbox.calls(Endpoint.LECTRONZ_DETAIL));
        assertEquals(0, sandbox.calls(Endpoint.LECTRONZ_CREATE));
        sandbox.resetCalls();
        assertEquals(0, sandbox.calls(Endpoint.LECTRONZ_LIST));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
