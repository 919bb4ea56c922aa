package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class InboundMarkAsReadTest {

    /** A Lectronz whose first {@code failures} mark_as_read calls fail with a 503. */
    private static UnaryOperator<LectronzApi> marksFailing(int failures) {
        AtomicInteger left = new AtomicInteger(failures);
        return api -> new LectronzApi() {
            @Override
            public Page list(int limit, int offset) {
                return api.list(limit, offset);
            }

            @Override
            public byte[] message(long id) {
                return api.message(id);
            }

            @Override
            public void markAsRead(long id) {
                if (left.getAndDecrement() > 0) {
                    throw new LectronzException("Lectronz mark_as_read " + id + " failed: HTTP 503", 503, null);
                }
                api.markAsRead(id);
            }
        };
    }

    @Test
    void givenPublishedUnreadCustomerMessagesThenEachIsMarkedOnceAndItsReadVersionIsPublishedNext() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("mark-read", Duration.ofHours(1), true, api -> api)) {
            f.lectronz.addMany(6); // 4 customer, 2 seller messages

            f.poll();

            assertEquals(4, f.lectronz.markCalls.get());
            InboundRun next = f.poll();
            assertEquals(4, next.changes(), "the read versions, fetched directly");
            assertEquals(10, f.awaitRecords(10).size());
            assertEquals(4, f.lectronz.markCalls.get(), "read versions need no mark");
        }
    }

    @Test
    void givenMarkAsReadOffThenNothingIsMarked() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("mark-off")) {
            f.lectronz.addMany(6);

            f.poll();

            assertEquals(0, f.lectronz.markCalls.get());
        }
    }

    @Test
    void givenAFailedMarkThenItStaysPendingForTheNextRun() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("mark-retry", Duration.ofHours(1), true,
                marksFailing(1))) {
            f.lectronz.addMany(2); // 1 seller, 1 customer message

            f.poll();
            assertEquals(0, f.lectronz.markCalls.get());
            f.poll();

            assertEquals(1, f.lectronz.markCalls.get());
            assertEquals(2, f.awaitRecords(2).size());
        }
    }

    @Test
    void givenTheStateIsReadAgainThenUnreadCustomerMessagesStillAwaitTheirMark() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("mark-restored", Duration.ofHours(1), true,
                marksFailing(4))) {
            f.lectronz.addMany(6);
            f.poll();
            assertEquals(0, f.lectronz.markCalls.get());

            f.session.standDown(); // as after a restart: the marks come from the state topic
            f.poll();

            assertEquals(4, f.lectronz.markCalls.get());
        }
    }
}
