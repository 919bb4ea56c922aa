package io.marketplacebridge.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KeySchedulerTest {

    private static ConsumerRecord<String, byte[]> record(int partition, long offset, String key) {
        return new ConsumerRecord<>("t", partition, offset, key, new byte[0]);
    }

    @Test
    void oneRecordOfAKeyAtATimeInOffsetOrderWhileOtherKeysGoOn() {
        KeyScheduler s = new KeyScheduler();
        var a0 = record(0, 0, "a");
        var a1 = record(0, 1, "a");
        var b2 = record(0, 2, "b");
        var a3 = record(0, 3, "a");
        s.add(a0);
        s.add(a1);
        s.add(b2);
        s.add(a3);
        assertEquals(4, s.buffered(new TopicPartition("t", 0)));
        assertSame(a0, s.next());
        assertSame(b2, s.next(), "a is running: b goes past it");
        assertNull(s.next(), "nothing else may start");
        s.done(a0);
        assertSame(a1, s.next());
        s.done(b2);
        assertNull(s.next());
        s.done(a1);
        assertSame(a3, s.next());
        assertEquals(0, s.buffered(new TopicPartition("t", 0)));
    }

    @Test
    void sameKeyOnAnotherPartitionAndRecordsWithoutKeyAreIndependent() {
        KeyScheduler s = new KeyScheduler();
        var p0 = record(0, 0, "a");
        var p1 = record(1, 0, "a");
        var n1 = record(0, 1, null);
        var n2 = record(0, 2, null);
        s.add(p0);
        s.add(p1);
        s.add(n1);
        s.add(n2);
        assertSame(p0, s.next());
        assertSame(p1, s.next());
        assertSame(n1, s.next());
        assertSame(n2, s.next());
    }

    @Test
    void aDroppedPartitionStartsNothingMore() {
        KeyScheduler s = new KeyScheduler();
        s.add(record(0, 0, "a"));
        s.add(record(0, 1, "b"));
        var other = record(1, 0, "c");
        s.add(other);
        s.drop(new TopicPartition("t", 0));
        assertSame(other, s.next());
        assertNull(s.next());
        assertEquals(0, s.buffered(new TopicPartition("t", 0)));
    }
}
