package io.marketplacebridge.kafka;

import java.util.List;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PartitionOffsetsTest {

    private static final List<ProducerRecord<String, byte[]>> NONE = List.of();

    @Test
    void commitsTheLowestIncompleteOffsetAndCarriesTheCompletedOnesBeyondIt() {
        PartitionOffsets p = new PartitionOffsets(null);
        for (long o = 10; o < 15; o++) {
            assertTrue(p.fetched(o));
        }
        assertNull(p.toCommit(), "nothing completed yet");
        p.completed(11, NONE);
        p.completed(13, NONE);
        OffsetAndMetadata c = p.toCommit();
        assertEquals(10, c.offset(), "10 is still running");
        assertEquals(new TreeSet<>(List.of(11L, 13L)), PartitionOffsets.decode(10, c.metadata()));
        p.committed(c);
        assertNull(p.toCommit(), "nothing new");

        p.completed(10, NONE);
        c = p.toCommit();
        assertEquals(12, c.offset());
        assertEquals(new TreeSet<>(List.of(13L)), PartitionOffsets.decode(12, c.metadata()));
    }

    @Test
    void aNewOwnerSkipsWhatCompletedBeyondTheCommittedOffset() {
        PartitionOffsets p = new PartitionOffsets(new OffsetAndMetadata(12, PartitionOffsets.encode(12, new TreeSet<>(List.of(13L, 15L)))));
        assertTrue(p.fetched(12));
        assertFalse(p.fetched(13), "completed before");
        assertTrue(p.fetched(14));
        assertFalse(p.fetched(15), "completed before");
        p.completed(12, NONE);
        p.completed(14, NONE);
        OffsetAndMetadata c = p.toCommit();
        assertEquals(16, c.offset(), "everything up to 15 is done");
        assertTrue(PartitionOffsets.decode(16, c.metadata()).isEmpty());
    }

    @Test
    void pendingWritesGoWithTheCommitThatCoversThem() {
        PartitionOffsets p = new PartitionOffsets(new OffsetAndMetadata(0));
        p.fetched(0);
        p.fetched(1);
        ProducerRecord<String, byte[]> result = new ProducerRecord<>("results", "k", new byte[] {1});
        p.completed(1, List.of(result));
        assertEquals(List.of(result), p.pendingWrites());
        p.completed(1, List.of(result));
        assertEquals(1, p.pendingWrites().size(), "a completion counts once");
        p.committed(p.toCommit());
        assertTrue(p.pendingWrites().isEmpty());
    }

    @Test
    void theWidestWindowFitsKafkasMetadataLimit() {
        TreeSet<Long> every = new TreeSet<>();
        for (long o = 1; o < PartitionOffsets.MAX_WINDOW; o++) {
            every.add(o);
        }
        String metadata = PartitionOffsets.encode(0, every);
        assertTrue(metadata.length() < 4096, metadata.length() + " characters");
        assertEquals(every, PartitionOffsets.decode(0, metadata));
        assertTrue(PartitionOffsets.decode(0, "written by another tool").isEmpty());
        assertTrue(PartitionOffsets.decode(0, PartitionOffsets.PREFIX + "!!not base64").isEmpty());
    }
}
