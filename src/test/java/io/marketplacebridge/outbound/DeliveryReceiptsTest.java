package io.marketplacebridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.IntNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeliveryReceiptsTest {

    private final DeliveryReceipts receipts = new DeliveryReceipts(null, "state");
    private final ConsumerRecord<String, byte[]> command = new ConsumerRecord<>("commands", 2, 40, "k", new byte[0]);
    private final CommandResult delivered = new CommandResult("commands-2-40", "lectronz", "send", IntNode.valueOf(5),
            CommandResult.Status.DELIVERED, null, null, 201, null, 1, "commands", 2, 40, Instant.parse("2026-11-30T10:00:00Z"), false);

    @Test
    void givenAReceiptOfThisRecordThenItsResultIsReplayedUntilTheTombstone() {
        assertTrue(receipts.replay(command).isEmpty());
        assertTrue(receipts.apply("outbound.receipt:commands-2-40", delivered.toBytes(), 1000));
        assertEquals(delivered, receipts.replay(command).orElseThrow());
        // another record (same partition, next offset) has no receipt
        assertTrue(receipts.replay(new ConsumerRecord<>("commands", 2, 41, "k", new byte[0])).isEmpty());
        ProducerRecord<String, byte[]> tombstone = receipts.tombstone(command);
        assertEquals("outbound.receipt:commands-2-40", tombstone.key());
        assertEquals(DeliveredIds.PARTITION, tombstone.partition());
        assertNull(tombstone.value());
        assertTrue(receipts.apply(tombstone.key(), null, 2000));
        assertTrue(receipts.replay(command).isEmpty());
    }

    @Test
    void givenOtherStateKeysThenTheyAreNotReceipts() {
        assertFalse(receipts.apply("outbound.delivered:reply-1", "1".getBytes(), 1000));
        assertFalse(receipts.apply(null, null, 1000));
        assertEquals(0, receipts.size());
    }

    @Test
    void givenReceiptsOlderThanTheRetentionThenOnlyThoseAreForgotten() {
        receipts.apply("outbound.receipt:commands-2-40", delivered.toBytes(), 1000);
        receipts.apply("outbound.receipt:commands-2-41", delivered.toBytes(), 5000);
        assertEquals(List.of("outbound.receipt:commands-2-40"), receipts.forgetOlderThan(3000));
        assertTrue(receipts.replay(command).isEmpty());
        assertEquals(1, receipts.size());
    }
}
