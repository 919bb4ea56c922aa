package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class InboundScanTest {

    @Test
    void givenThisInstanceDoesNotLeadTheAccountThenThereIsNoRunAndNoListCall() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("scan-follower")) {
            f.lectronz.addMany(5);
            f.leading.set(false);

            assertNull(f.scan.scan());

            assertEquals(0, f.lectronz.listCalls.get());
        }
    }

    @Test
    void givenABacklogThenTheRunHoldsEveryMessageOldestFirst() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("scan-backlog")) {
            f.lectronz.addMany(30);

            InboundRun run = f.scan.scan();

            assertFalse(run.full());
            assertEquals(30, run.changes());
            List<Long> ids = run.changed().stream().map(LectronzApi.Item::id).toList();
            assertEquals(ids.stream().sorted().toList(), ids, "oldest first");
            assertTrue(run.known().isEmpty());
            assertEquals(2, f.lectronz.listCalls.get(), "30 messages, pages of 20");
        }
    }

    @Test
    void givenEverythingPublishedThenAScanCostsOneListCallAndFindsNothing() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("scan-idle")) {
            f.lectronz.addMany(30);
            f.poll();
            int listCalls = f.lectronz.listCalls.get();

            InboundRun run = f.scan.scan();

            assertEquals(0, run.changes());
            assertEquals(30, run.known().size());
            assertEquals(listCalls + 1, f.lectronz.listCalls.get());
        }
    }

    @Test
    void givenAReconcileIsDueThenTheScanWalksTheWholeListAndFindsAnOlderUpdate() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("scan-reconcile", Duration.ZERO, false, api -> api)) {
            f.lectronz.addMany(30);
            f.poll();
            f.lectronz.touch(f.lectronz.get(1000)); // the oldest message, on the last page
            int listCalls = f.lectronz.listCalls.get();

            InboundRun run = f.scan.scan();

            assertTrue(run.full());
            assertEquals(List.of(1000L), run.changed().stream().map(LectronzApi.Item::id).toList());
            assertEquals(listCalls + 2, f.lectronz.listCalls.get(), "every page");
        }
    }

    @Test
    void givenTheLeadWasLostMeanwhileThenTheScanReadsTheStateAgainFromKafka() throws Exception {
        try (InboundSessionFixture f = new InboundSessionFixture("scan-standdown")) {
            f.lectronz.addMany(30);
            f.poll();
            f.lectronz.addMany(2);

            f.session.standDown();
            InboundRun run = f.scan.scan();

            assertEquals(30, run.known().size(), "restored from the state topic");
            assertEquals(List.of(1030L, 1031L), run.changed().stream().map(LectronzApi.Item::id).toList());
        }
    }
}
