package io.marketplacebridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SandboxOptionsTest {

    @Test
    void readsSandboxKeysThroughTheLookup() {
        Map<String, String> settings = Map.of(
                "sandbox.seed-messages", "3",
                "sandbox.demo-interval", "5s",
                "sandbox.latency", "20ms",
                "sandbox.error-rate", "0.1",
                "sandbox.rate-limit-rate", "0.05",
                "sandbox.retry-after", "2",
                "sandbox.hang-rate", "0.01",
                "sandbox.alephee-rate-limit", "120");
        SandboxOptions o = SandboxOptions.fromSettings(0, "tok", "key", "9", settings::get);
        assertEquals("tok", o.lectronzToken());
        assertEquals("key", o.alepheeApiKey());
        assertEquals("9", o.alepheeAccountId());
        assertEquals(3, o.seedMessages());
        assertEquals(Duration.ofSeconds(5), o.demoInterval());
        assertEquals(Duration.ofMillis(20), o.latency());
        assertEquals(0.1, o.errorRate());
        assertEquals(0.05, o.rateLimitRate());
        assertEquals(2, o.retryAfterSeconds());
        assertEquals(0.01, o.hangRate());
        assertEquals(120, o.alepheeRateLimit());
    }

    @Test
    void unsetKeysGiveTheDefaults() {
        SandboxOptions o = SandboxOptions.fromSettings(8089, null, null, null, key -> null);
        assertEquals(SandboxOptions.defaults(8089), o);
        assertEquals(25, o.seedMessages());
        assertTrue(o.demoInterval().isZero());
        assertEquals(600, o.alepheeRateLimit());
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                SandboxOptions.fromSettings(0, "t", "k", "1", Map.of("sandbox.latency", "soon")::get));
        assertTrue(e.getMessage().contains("sandbox.latency"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                SandboxOptions.fromSettings(0, "t", "k", "1", Map.of("sandbox.error-rate", "2")::get));
        assertTrue(e.getMessage().contains("sandbox.error-rate"), e.getMessage());
    }

    @Test
    void demoTimerAddsBuyerMessagesOnSeededOrders() {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(6)
                .withDemoInterval(Duration.ofMillis(50)))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> sandbox.messages().size() >= 8);
            LectronzMessage demo = sandbox.messages().get(7);
            assertEquals(LectronzMessage.CUSTOMER, demo.type());
            assertTrue(sandbox.seededOrders().contains(demo.orderId()));
        }
    }

    @Test
    void messageIdsStartAtTheConfiguredFirstId() {
        SandboxOptions o = SandboxOptions.fromSettings(0, null, null, null,
                Map.of("sandbox.first-message-id", "700000000", "sandbox.seed-messages", "3")::get);
        try (Sandbox sandbox = Sandbox.start(o)) {
            assertEquals(java.util.List.of(700000000L, 700000001L, 700000002L),
                    sandbox.messages().stream().map(LectronzMessage::id).sorted().toList());
            assertEquals(700000003L, sandbox.addCustomerMessage(sandbox.seededOrders().get(0), "Hi").id());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                SandboxOptions.fromSettings(0, "t", "k", "1", Map.of("sandbox.first-message-id", "0")::get));
        assertTrue(e.getMessage().contains("sandbox.first-message-id"), e.getMessage());
    }
}
