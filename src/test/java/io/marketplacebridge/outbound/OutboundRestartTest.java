package io.marketplacebridge.outbound;

import java.util.Base64;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketplacebridge.sandbox.AlepheeMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/** Multipart bodies, and ids delivered before a restart stay delivered after it. */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundRestartTest {

    @Test
    void multipartDeliveryAndDuplicateAcrossRestart() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("alephee.body-format", "multipart");
            byte[] doc = new byte[70_000];
            new Random(3).nextBytes(doc);
            String command = "{\"id\":\"inv-1\",\"channel\":\"alephee\",\"orderId\":4242,\"reason\":\"SEND_INVOICE_LINK\","
                    + "\"content\":\"Factura adjunta\",\"attachment\":{\"base64\":\"" + Base64.getEncoder().encodeToString(doc)
                    + "\",\"filename\":\"factura-4242.pdf\"}}";

            OutboundKafka.RecordMetadataView first;
            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                kafka.awaitTopics();
                first = kafka.send("4242", command);
                JsonNode r = kafka.resultFor(first);
                assertEquals("DELIVERED", r.get("status").asText(), r.toString());
                assertEquals("inv-1", r.get("commandId").asText());
            }
            AlepheeMessage m = sandbox.alepheeMessages().get(0);
            assertEquals("multipart", m.bodyFormat());
            assertArrayEquals(doc, m.attachment());
            assertEquals("factura-4242", m.documentName());
            assertEquals("pdf", m.documentExtension());
            assertEquals("Factura adjunta", m.message());
            assertEquals(3, m.messageOption());

            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                var again = kafka.send("4242", command);
                JsonNode r = kafka.resultFor(again);
                assertEquals("DUPLICATE", r.get("status").asText(), r.toString());
                var other = kafka.send("4243", "{\"channel\":\"alephee\",\"orderId\":4243,\"reason\":2}");
                assertEquals("DELIVERED", kafka.resultFor(other).get("status").asText());
                // the record delivered before the restart did not get a second result
                assertEquals(3, kafka.results(3, java.time.Duration.ofSeconds(5)).size());
            }
            assertEquals(1, sandbox.alepheeMessages().stream().filter(a -> a.orderId() == 4242).count());
        }
    }
}
