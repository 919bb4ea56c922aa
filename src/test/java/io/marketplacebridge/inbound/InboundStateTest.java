package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InboundStateTest {

    private static final InboundKafka.Entry UNREAD_CUSTOMER =
            new InboundKafka.Entry("2026-11-01T10:00:01Z", "2026-11-01T10:00:00Z", "customer_order_message", true);
    private static final InboundKafka.Entry READ_CUSTOMER =
            new InboundKafka.Entry("2026-11-01T11:00:01Z", "2026-11-01T11:00:00Z", "customer_order_message", false);
    private static final InboundKafka.Entry UNREAD_SELLER =
            new InboundKafka.Entry("2026-11-01T12:00:01Z", "2026-11-01T12:00:00Z", "seller_order_message", true);

    private static InboundMessage message(long id, String type, String createdAt, boolean unread) {
        return new InboundMessage(id, type, "900", createdAt, createdAt, true, unread, null, null);
    }

    @Test
    void givenARestoredStateThenOnlyItsUnreadCustomerMessagesAwaitTheirMark() {
        InboundState state = new InboundState(true);

        state.restore(Map.of(1L, UNREAD_CUSTOMER, 2L, READ_CUSTOMER, 3L, UNREAD_SELLER));

        assertEquals(List.of(1L), state.pendingMarks());
        assertEquals(Map.of(1L, UNREAD_CUSTOMER.updatedAt(), 2L, READ_CUSTOMER.updatedAt(),
                3L, UNREAD_SELLER.updatedAt()), state.known());
    }

    @Test
    void givenMarkAsReadOffThenNothingAwaitsAMark() {
        InboundState state = new InboundState(false);

        state.restore(Map.of(1L, UNREAD_CUSTOMER));
        state.committed(message(2, "customer_order_message", "2026-11-02T10:00:00Z", true));

        assertEquals(List.of(), state.pendingMarks());
        assertEquals(2, state.size());
    }

    @Test
    void givenACommittedMessageThenItsVersionIsKnownAndAnUnreadCustomerMessageAwaitsItsMark() {
        InboundState state = new InboundState(true);

        state.committed(message(5, "customer_order_message", "2026-11-02T10:00:00Z", true));
        state.committed(message(6, "refund_order_message", "2026-11-02T11:00:00Z", true));

        assertEquals(Map.of(5L, "2026-11-02T10:00:00Z", 6L, "2026-11-02T11:00:00Z"), state.known());
        assertEquals(List.of(5L), state.pendingMarks());
    }

    @Test
    void givenMessagesMarkedReadThenTheNextScanFetchesThemOnceOldestFirstUntilARunPublishedThem() {
        InboundState state = new InboundState(true);
        state.restore(Map.of(1L, UNREAD_CUSTOMER, 2L, READ_CUSTOMER));
        state.committed(message(7, "customer_order_message", "2026-11-03T10:00:00Z", true));
        LectronzApi.Item listed = new LectronzApi.Item(7, "customer_order_message", "2026-11-03T10:00:00Z",
                "2026-11-03T10:05:00Z");

        state.marked(7);
        state.marked(1);

        assertEquals(List.of(), state.pendingMarks());
        assertEquals(List.of(1L, 7L), state.withRecheck(List.of(listed)).stream().map(LectronzApi.Item::id).toList());
        state.rechecked();
        List<LectronzApi.Item> changed = List.of(listed);
        assertSame(changed, state.withRecheck(changed));
    }

    @Test
    void givenTheStateIsClearedThenNothingIsKnownOrPending() {
        InboundState state = new InboundState(true);
        state.restore(Map.of(1L, UNREAD_CUSTOMER));

        state.clear();

        assertEquals(Map.of(), state.known());
        assertEquals(List.of(), state.pendingMarks());
    }
}
