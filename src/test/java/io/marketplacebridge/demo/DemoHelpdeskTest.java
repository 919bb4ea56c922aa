package io.marketplacebridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DemoHelpdeskTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void repliesToTheMessagesOrderAndRotatesChannels() throws Exception {
        DemoHelpdesk helpdesk = new DemoHelpdesk();
        byte[] message = """
                {"id": 41, "type": "customer_order_message", "content": "Where is my parcel?",
                 "subject": {"id": 1200, "type": "order"}, "updated_at": "2026-11-23T19:30:00.000Z"}
                """.getBytes(StandardCharsets.UTF_8);
        JsonNode first = json.readTree(helpdesk.replyTo(message, "default"));
        assertEquals("lectronz", first.get("channel").asText());
        assertEquals(1200, first.get("orderId").asLong());
        assertEquals("demo-reply-41-2026-11-23T19:30:00.000Z", first.get("id").asText());
        assertTrue(first.get("content").asText().contains("1200"));
        helpdesk.replyTo(message, "default");
        JsonNode third = json.readTree(helpdesk.replyTo(message, "default"));
        assertEquals("alephee", third.get("channel").asText());
        assertEquals("OTHER", third.get("reason").asText());
    }
}
