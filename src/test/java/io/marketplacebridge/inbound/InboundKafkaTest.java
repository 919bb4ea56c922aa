package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InboundKafkaTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theStateValueReadsBackAsItsEntry() {
        InboundMessage m = new InboundMessage(17, "customer_order_message", "900", "2026-11-01T10:00:00.000Z",
                "2026-11-02T10:00:00.000Z", true, true, null, null);
        assertEquals(new InboundKafka.Entry("2026-11-02T10:00:00.000Z", "2026-11-01T10:00:00.000Z",
                "customer_order_message", true), InboundKafka.entryOf(InboundKafka.stateValue(m)));
        assertNull(InboundKafka.entryOf(bytes("{\"updated_at\":\"x\"}")));
    }

    @Test
    void onlyTheStoresOwnKeysAreRestoredAndATombstoneForgets() {
        Map<Long, InboundKafka.Entry> state = new HashMap<>();
        String mine = "lectronz.message:default.abc:";
        InboundKafka.apply(state, mine, mine + "1", bytes("t1|c1|customer_order_message|1|9"));
        InboundKafka.apply(state, mine, "lectronz.message:default.other:2", bytes("t2|c2|customer_order_message|1|9"));
        InboundKafka.apply(state, mine, "outbound.delivered:reply-1", bytes("1764500000000"));
        InboundKafka.apply(state, mine, mine + "3", bytes("t3|c3|refund_order_message|0|9"));
        InboundKafka.apply(state, mine, mine + "3", null);
        assertEquals(Map.of(1L, new InboundKafka.Entry("t1", "c1", "customer_order_message", true)), state);
    }

    @Test
    void givenTheStateOfTheVersionBeforeAccountsThenTheDefaultStoreContinuesItAndNewerRecordsWin() {
        Map<Long, InboundKafka.Entry> state = new HashMap<>();
        String mine = "lectronz.message:default.abc:";
        InboundKafka.applyLegacy(state, "lectronz.message:5", bytes("""
                {"updated_at":"u5","created_at":"c5","type":"customer_order_message","order":"9","unread":true}"""));
        InboundKafka.applyLegacy(state, "lectronz.message:6", bytes("""
                {"updated_at":"u6","created_at":"c6","type":"seller_order_message","order":"9","unread":false}"""));
        InboundKafka.applyLegacy(state, mine + "6", bytes("ignored|by|legacy|0|9")); // not a legacy key
        InboundKafka.apply(state, mine, mine + "6", bytes("u6b|c6|seller_order_message|0|9"));
        assertEquals(new InboundKafka.Entry("u5", "c5", "customer_order_message", true), state.get(5L));
        assertEquals("u6b", state.get(6L).updatedAt());
        assertEquals(2, state.size());
    }
}
