package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marketplacebridge.http.RemoteApiHealthCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class InboundFailuresTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter malformed = registry.counter("malformed");
    private final Counter kafkaFailures = registry.counter("kafka.failures");
    private final RemoteApiHealthCheck health = new RemoteApiHealthCheck("lectronz");
    private final InboundFailures failures = new InboundFailures("default", "tx-1", health, malformed, kafkaFailures);

    private HealthCheck.State health() {
        return health.call().getState();
    }

    @Test
    void givenTheTokenIsRejectedThenTheHealthIsDownAndTheKafkaSessionIsKept() {
        health.up();

        boolean drop = failures.contain(new LectronzApi.UnauthorizedException(null));

        assertFalse(drop);
        assertEquals(HealthCheck.State.DOWN, health());
    }

    @Test
    void givenAMalformedAnswerThenItIsCountedAndTheKafkaSessionIsKept() {
        boolean drop = failures.contain(new LectronzApi.MalformedResponseException("list: not JSON", null));

        assertFalse(drop);
        assertEquals(1, malformed.count());
        assertEquals(HealthCheck.State.DOWN, health());
    }

    @Test
    void givenLectronzUnreachableThenTheHealthIsDownAndTheKafkaSessionIsKept() {
        boolean drop = failures.contain(new LectronzApi.LectronzException("list failed: HTTP 503", 503, null));

        assertFalse(drop);
        assertEquals(0, malformed.count());
        assertEquals(HealthCheck.State.DOWN, health());
    }

    @Test
    void givenAKafkaFailureThenItIsCountedAndTheKafkaSessionIsDropped() {
        boolean drop = failures.contain(new KafkaException("commit failed", new TimeoutException("timed out")));

        assertTrue(drop);
        assertEquals(1, kafkaFailures.count());
    }

    @Test
    void givenAnotherInstanceFencedTheProducerThenTheKafkaSessionIsDroppedWithoutAKafkaFailure() {
        boolean drop = failures.contain(new KafkaException("commit failed", new ProducerFencedException("fenced")));

        assertTrue(drop);
        assertEquals(0, kafkaFailures.count());
    }

    @Test
    void givenAStopBetweenTransactionsThenTheKafkaSessionIsKeptAndTheHealthUnchanged() {
        health.up();

        boolean drop = failures.contain(new InboundFailures.StoppedException("the bridge is stopping"));

        assertFalse(drop);
        assertEquals(0, kafkaFailures.count());
        assertEquals(HealthCheck.State.UP, health());
    }

    @Test
    void givenAnUnexpectedFailureThenTheKafkaSessionIsDropped() {
        assertTrue(failures.contain(new NullPointerException("a bug")));
        assertEquals(0, kafkaFailures.count());
    }
}
