package io.marketplacebridge.demo;

import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;

/**
 * The dev profile's stand-in for a customer's helpdesk: answers each new buyer message with a reply
 * command, so a newcomer sees both halves of the bridge work. Every third reply goes to Alephee
 * instead of Lectronz, to show that channel too.
 */
public final class DemoHelpdesk {

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong replies = new AtomicLong();

    /**
     * A reply command (SPEC section 5) for a Lectronz message as published on the inbound topic, for the account
     * the message came from (its header {@code marketplace-account}; null: the account {@code default}).
     */
    public String replyTo(byte[] lectronzMessage, @Header("marketplace-account") String account) throws Exception {
        JsonNode message = json.readTree(lectronzMessage);
        long orderId = message.path("subject").path("id").asLong();
        long n = replies.incrementAndGet();
        ObjectNode command = json.createObjectNode();
        command.put("id", "demo-reply-" + message.path("id").asText() + "-" + message.path("updated_at").asText());
        if (account != null) {
            command.put("account", account);
        }
        if (n % 3 == 0) {
            command.put("channel", "alephee");
            command.put("orderId", orderId);
            command.put("reason", "OTHER");
            command.put("content", "Hello! We received your question about order " + orderId + " and will answer shortly.");
        } else {
            command.put("channel", "lectronz");
            command.put("orderId", orderId);
            command.put("content", "Thanks for your message about order " + orderId + ". We are on it.");
        }
        return json.writeValueAsString(command);
    }
}
