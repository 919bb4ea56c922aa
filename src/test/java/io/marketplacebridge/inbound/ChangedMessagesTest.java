package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The hand-over between a first sync's list walk and the publish step. */
class ChangedMessagesTest {

    private static LectronzApi.Item item(long id) {
        return new LectronzApi.Item(id, "customer_order_message", "2026-11-30T10:00:00Z", "2026-11-30T10:00:00Z");
    }

    @Test
    void givenAWalkInProgressThenTheItemsComeInOrderAndOnlyAWaitingTakeWaitsForTheNextPage() throws Exception {
        ChangedMessages walking = ChangedMessages.walking(3);
        walking.add(List.of(item(1), item(2)));

        assertEquals(1, walking.next(false).id());
        assertEquals(2, walking.next(false).id());
        assertNull(walking.next(false), "nothing here yet, and the walk goes on");
        assertFalse(walking.isEmpty());

        CompletableFuture<LectronzApi.Item> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return walking.next(true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        walking.add(List.of(item(3)));
        assertEquals(3, waiting.get(10, TimeUnit.SECONDS).id());

        walking.end(null);
        assertNull(walking.next(true), "ended, all taken");
        walking.checkScanEnded();
        assertEquals(3, walking.expected());
    }

    @Test
    void givenAWalkThatFailedThenItsItemsAreTakenFirstAndTheFailureComesAfter() throws Exception {
        ChangedMessages walking = ChangedMessages.walking(100);
        walking.add(List.of(item(1)));
        LectronzApi.LectronzException failure = new LectronzApi.LectronzException("503", 503, null);
        walking.end(failure);

        assertEquals(1, walking.next(true).id());
        assertNull(walking.next(true));
        assertSame(failure, assertThrows(LectronzApi.LectronzException.class, walking::checkScanEnded));
        assertSame(failure, assertThrows(LectronzApi.LectronzException.class, walking::all));
    }

    @Test
    void givenACompleteScanThenItIsEndedAndCancellingIsSeenByTheWalk() throws Exception {
        ChangedMessages none = ChangedMessages.of(List.of());
        assertTrue(none.isEmpty());
        assertNull(none.next(true));

        ChangedMessages walking = ChangedMessages.walking(10);
        assertFalse(walking.cancelled());
        walking.cancel();
        assertTrue(walking.cancelled());
    }
}
