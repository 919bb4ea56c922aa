package io.marketplacebridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several stores behind one base URL, one token each, and several Alephee keys. */
class SandboxAccountsTest {

    private Sandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(3));
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void eachTokenSeesAndChangesOnlyItsOwnStore() {
        Sandbox.Store second = sandbox.addLectronzStore("token-two");
        second.addCustomerMessage(42, "only in the second store");

        JsonNode first = SandboxClient.json(client.get("/messages?limit=50"));
        JsonNode other = SandboxClient.json(client.lectronz("GET", "/messages?limit=50", "token-two", null));
        assertEquals(3, first.get("total_count").asInt());
        assertEquals(4, other.get("total_count").asInt());
        long secondId = second.messages().get(3).id();
        assertEquals(404, client.get("/messages/" + secondId).statusCode(), "the first store has no such message");

        HttpResponse<String> created = client.lectronz("POST", "/messages", "token-two", """
                {"content":"reply","type":"seller_order_message","subject":{"id":42,"type":"order"}}""");
        assertEquals(201, created.statusCode());
        assertEquals(1, second.createdMessages().size());
        assertEquals(0, sandbox.createdMessages().size());
        assertEquals(401, client.lectronz("GET", "/messages", "token-unknown", null).statusCode());
    }

    @Test
    void eachAlepheeKeyHasItsAccountsAndIsRecorded() {
        sandbox.addAlepheeKey("key-two", "88");
        String body = """
                {"message":"hello","messageOptions":4}""";
        assertEquals(200, client.alepheeJson(client.alepheeUrl(1, "key-two", "88"), body).statusCode());
        assertEquals(401, client.alepheeJson(client.alepheeUrl(1, "key-two", "77"), body).statusCode(),
                "77 is an account of the first key only");
        assertEquals(200, client.alepheeJson(client.alepheeUrl(2), body).statusCode());
        assertEquals("key-two", sandbox.alepheeMessages().get(0).apiKey());
        assertEquals("88", sandbox.alepheeMessages().get(0).accountId());
        assertEquals(SandboxOptions.DEFAULT_ALEPHEE_API_KEY, sandbox.alepheeMessages().get(1).apiKey());
    }
}
