package io.marketplacebridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeRunner;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A command delivered by an instance killed before its commit: the receipt that instance left makes the next owner
 * write the result from it, without sending the reply again; the commit removes the receipt.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundReceiptTest {

    @Test
    void givenAReceiptOfAnUncommittedDeliveryWhenTheRecordRunsAgainThenItsResultIsWrittenAndNothingIsSent() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            try (BridgeRunner topics = BridgeRunner.start(props)) {
                kafka.awaitTopics();
            }
            OutboundKafka.RecordMetadataView deliveredBefore = kafka.send("5001", "{\"channel\":\"alephee\",\"orderId\":5001,\"content\":\"sent once\"}");
            OutboundKafka.RecordMetadataView fresh = kafka.send("5002", "{\"channel\":\"alephee\",\"orderId\":5002,\"content\":\"not sent yet\"}");
            // what the killed instance left: the receipt of 5001's delivery, no result, no commit
            String receiptKey = DeliveryReceipts.KEY_PREFIX + deliveredBefore.defaultId(kafka.commands);
            CommandResult receipt = new CommandResult(deliveredBefore.defaultId(kafka.commands), "alephee", "send", IntNode.valueOf(5001),
                    CommandResult.Status.DELIVERED, null, null, 200, OutboundKafka.json("{\"id\":\"from-receipt\"}".getBytes()), 1,
                    kafka.commands, deliveredBefore.partition(), deliveredBefore.offset(), Instant.parse("2026-11-30T10:00:00Z"), false);
            KafkaClients clients = new KafkaClients(EmbeddedKafkaExtension.bootstrapServers(), Map.of());
            try (KafkaProducer<String, byte[]> producer = clients.idempotentProducer("receipt-test", 0)) {
                producer.send(new ProducerRecord<>(kafka.state, DeliveredIds.PARTITION, receiptKey, receipt.toBytes())).get(30, TimeUnit.SECONDS);
            }

            try (BridgeRunner bridge = BridgeRunner.start(props)) {
                JsonNode replayed = kafka.resultFor(deliveredBefore);
                assertEquals("DELIVERED", replayed.get("status").asText(), replayed.toString());
                assertEquals("from-receipt", replayed.path("remote").path("id").asText(), "the result is the receipt's: " + replayed);
                assertEquals("DELIVERED", kafka.resultFor(fresh).get("status").asText());
                assertEquals(2, kafka.results(2, Duration.ofSeconds(30)).size());
            }
            assertEquals(0, sandbox.alepheeMessages().stream().filter(m -> m.orderId() == 5001).count(), "5001 was not sent again");
            assertEquals(1, sandbox.alepheeMessages().stream().filter(m -> m.orderId() == 5002).count());
            Map<String, Optional<byte[]>> state = DeliveredIdsTest.latest(clients, kafka.state);
            assertEquals(Optional.empty(), state.get(receiptKey), "the commit wrote the receipt's tombstone");
            String freshKey = DeliveryReceipts.KEY_PREFIX + fresh.defaultId(kafka.commands);
            assertTrue(state.containsKey(freshKey), "5002's delivery left a receipt: " + state.keySet());
            assertEquals(Optional.empty(), state.get(freshKey), "which its commit removed");
        }
    }
}
