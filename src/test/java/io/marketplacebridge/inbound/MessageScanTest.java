package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scan and diff logic against an in-memory Lectronz: what is fetched, what is written, in which order. */
class MessageScanTest {

    @Test
    void givenCreationTimesInSeveralOffsetsAndOneMissingThenTheSortIsOldestFirstThenById() {
        List<LectronzApi.Item> items = new ArrayList<>(List.of(
                new LectronzApi.Item(5, "seller_order_message", "2026-11-30T12:00:00+02:00", "u"),   // 10:00Z
                new LectronzApi.Item(3, "seller_order_message", "2026-11-30T09:30:00Z", "u"),
                new LectronzApi.Item(4, "seller_order_message", "2026-11-30T10:00:00Z", "u"),        // same instant as 5
                new LectronzApi.Item(9, "seller_order_message", null, "u"),
                new LectronzApi.Item(1, "seller_order_message", "2026-11-30T05:00:00-05:00", "u"))); // 10:00Z
        List<LectronzApi.Item> byComparator = new ArrayList<>(items);
        byComparator.sort(MessageScan.OLDEST_FIRST);

        MessageScan.sortOldestFirst(items);

        assertEquals(List.of(9L, 3L, 1L, 4L, 5L), items.stream().map(LectronzApi.Item::id).toList());
        assertEquals(byComparator, items);
    }

    private final FakeLectronz lectronz = new FakeLectronz();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<Long, String> known = new HashMap<>();
    private final List<InboundMessage> written = new ArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** One poll as the poll route runs it (InboundScan, InboundPublish), the state updated after each "committed" batch. */
    private List<InboundMessage> sync(boolean full) throws Exception {
        List<InboundMessage> out = new ArrayList<>();
        MessageScan.Result scan = MessageScan.scan(lectronz, 10, known, full);
        new DetailFetcher(lectronz, pool, 7).fetchAndWrite(scan.changed(), known, batch -> {
            out.addAll(batch);
            batch.stream().filter(m -> !m.malformed()).forEach(m -> known.put(m.id(), m.updatedAt()));
        });
        written.addAll(out);
        return out;
    }

    @Test
    void backlogIsWrittenOldestFirstOnceWithinTheCallBudget() throws Exception {
        lectronz.addMany(95);
        List<InboundMessage> out = sync(false);
        assertEquals(95, out.size());
        for (int i = 0; i < 95; i++) {
            assertEquals(1000 + i, out.get(i).id(), "oldest first");
            assertTrue(out.get(i).created());
        }
        assertEquals(10, lectronz.listCalls.get(), "ceil(95/10) list calls");
        assertEquals(95, lectronz.detailCalls.get());
        assertTrue(lectronz.listCalls.get() + lectronz.detailCalls.get() <= 95 + 10 + 2);
        assertEquals("501", out.get(3).orderId());
    }

    @Test
    void idlePollIsExactlyOneListCallAndWritesNothing() throws Exception {
        lectronz.addMany(30);
        sync(false);
        int lists = lectronz.listCalls.get();
        int details = lectronz.detailCalls.get();
        assertTrue(sync(false).isEmpty());
        assertEquals(lists + 1, lectronz.listCalls.get());
        assertEquals(details, lectronz.detailCalls.get());
    }

    @Test
    void newMessagesArrivingBetweenPageCallsShiftOffsetsButNothingIsSkippedOrDoubled() throws Exception {
        lectronz.addMany(45);
        // three new messages arrive before the 2nd and 4th page calls: every offset shifts by 3
        lectronz.beforeList = n -> {
            if (n == 1 || n == 3) {
                lectronz.addMany(3);
            }
        };
        sync(false);
        lectronz.beforeList = n -> { };
        sync(false); // the next poll picks up what arrived during the scan
        List<Long> ids = written.stream().map(InboundMessage::id).toList();
        assertEquals(51, ids.size());
        assertEquals(51, ids.stream().distinct().count(), "no duplicate: " + ids);
        for (FakeLectronz.Msg m : lectronz.byCreation) {
            assertTrue(ids.contains(m.id), "skipped " + m.id);
        }
    }

    @Test
    void newUpdatedAndReadMessagesAreFoundOnTheFirstPage() throws Exception {
        lectronz.addMany(25);
        sync(false);
        FakeLectronz.Msg recent = lectronz.get(1023);
        lectronz.markAsRead(recent.id); // read: updated_at bumps
        FakeLectronz.Msg fresh = lectronz.add("refund_order_message", 900);
        List<InboundMessage> out = sync(false);
        assertEquals(List.of(1023L, fresh.id), out.stream().map(InboundMessage::id).toList(), "oldest created first");
        assertFalse(out.get(0).created(), "a later updated_at of a known id is an update");
        assertFalse(out.get(0).unread());
        assertTrue(out.get(1).created());
        assertEquals("900", out.get(1).orderId());
    }

    @Test
    void olderUpdatesAreLeftToReconcileWhichWalksTheWholeList() throws Exception {
        lectronz.addMany(40);
        sync(false);
        lectronz.touch(lectronz.get(1002)); // on the last page
        assertTrue(sync(false).isEmpty(), "an incremental poll stops at the first known page");
        int before = lectronz.listCalls.get();
        List<InboundMessage> out = sync(true);
        assertEquals(4, lectronz.listCalls.get() - before, "reconcile walks all 4 pages");
        assertEquals(1, out.size());
        assertEquals(1002, out.get(0).id());
        assertFalse(out.get(0).created());
        assertTrue(sync(true).isEmpty(), "nothing changed since");
    }

    @Test
    void aPageThatChangesBetweenListAndDetailPublishesTheDetailVersionOnce() throws Exception {
        lectronz.addMany(5);
        sync(false);
        FakeLectronz.Msg m = lectronz.get(1004);
        lectronz.touch(m);
        // the message changes again after the list call but before the detail call
        lectronz.beforeList = n -> { };
        MessageScan.Result scan = MessageScan.scan(lectronz, 10, known, false);
        lectronz.touch(m);
        List<InboundMessage> out = new ArrayList<>();
        new DetailFetcher(lectronz, pool, 7).fetchAndWrite(scan.changed(), known, out::addAll);
        assertEquals(1, out.size());
        assertEquals(m.updatedAt, out.get(0).updatedAt(), "the detail's updated_at is what is published");
        out.forEach(x -> known.put(x.id(), x.updatedAt()));
        // the next list shows that same updated_at: nothing more
        assertTrue(sync(false).isEmpty());
    }

    @Test
    void detailEqualToTheStateIsSkipped() throws Exception {
        lectronz.addMany(3);
        sync(false);
        // the list shows a newer updated_at than the detail still has: the detail equals what was published
        Map<Long, String> k = new HashMap<>(known);
        List<LectronzApi.Item> items = List.of(new LectronzApi.Item(1001, "customer_order_message",
                lectronz.get(1001).createdAt, "newer-in-list"));
        List<InboundMessage> out = new ArrayList<>();
        new DetailFetcher(lectronz, pool, 7).fetchAndWrite(items, k, out::addAll);
        assertTrue(out.isEmpty());
    }

    @Test
    void malformedDetailsAreMarkedWithTheirProblemNotDropped() {
        LectronzApi.Item item = new LectronzApi.Item(7, "customer_order_message", "2026-11-01T00:00:00Z", "u1");
        InboundMessage notJson = DetailFetcher.parse(item, null, "{oops".getBytes());
        assertTrue(notJson.malformed());
        assertEquals("u1", notJson.updatedAt());
        InboundMessage badType = DetailFetcher.parse(item, null, ("{\"id\":7,\"type\":\"gossip\",\"subject\":{\"id\":1},"
                + "\"updated_at\":\"u2\"}").getBytes());
        assertTrue(badType.problem().contains("unknown type 'gossip'"), badType.problem());
        InboundMessage noOrder = DetailFetcher.parse(item, null, ("{\"id\":7,\"type\":\"customer_order_message\","
                + "\"updated_at\":\"u2\"}").getBytes());
        assertTrue(noOrder.problem().contains("subject.id"), noOrder.problem());
        InboundMessage ok = DetailFetcher.parse(item, "u0", ("{\"id\":7,\"type\":\"customer_order_message\","
                + "\"subject\":{\"id\":\"42\"},\"updated_at\":\"u2\",\"read_at\":null}").getBytes());
        assertNull(ok.problem());
        assertEquals("42", ok.orderId());
        assertFalse(ok.created());
        assertTrue(ok.unread());
    }

    @Test
    void aFailingDetailStopsTheScanAfterTheBatchesBeforeItAndTheNextPollResumes() throws Exception {
        lectronz.addMany(20);
        FakeLectronz.Msg broken = lectronz.get(1010);
        LectronzApi failing = new LectronzApi() {
            @Override
            public Page list(int limit, int offset) {
                return lectronz.list(limit, offset);
            }

            @Override
            public byte[] message(long id) {
                if (id == broken.id) {
                    throw new LectronzException("HTTP 503", 503, null);
                }
                return lectronz.message(id);
            }

            @Override
            public void markAsRead(long id) {
            }
        };
        MessageScan.Result scan = MessageScan.scan(failing, 10, known, false);
        List<InboundMessage> out = new ArrayList<>();
        try {
            new DetailFetcher(failing, pool, 5).fetchAndWrite(scan.changed(), known, batch -> {
                out.addAll(batch);
                batch.forEach(m -> known.put(m.id(), m.updatedAt()));
            });
        } catch (LectronzApi.LectronzException expected) {
            // the scan stops
        }
        assertEquals(10, out.size(), "the two full batches before the failure are written");
        assertEquals(1009, out.get(9).id());
        written.addAll(out);
        sync(false);
        assertEquals(20, written.stream().map(InboundMessage::id).distinct().count());
        assertEquals(20, written.size());
    }

    @Test
    void aTransientlyMalformedDetailIsReportedThenPublishedByTheNextPoll() throws Exception {
        lectronz.addMany(12);
        FakeLectronz.Msg m = lectronz.get(1011); // the newest: on the first page
        m.body = "{\"id\":1011,\"content\":\"trunc";
        List<InboundMessage> first = sync(false);
        assertEquals(12, first.size());
        InboundMessage bad = first.stream().filter(x -> x.id() == 1011).findFirst().orElseThrow();
        assertTrue(bad.malformed());
        assertTrue(bad.problem().contains("not JSON"), bad.problem());
        m.body = null; // the remote answers properly again
        List<InboundMessage> second = sync(false);
        assertEquals(1, second.size());
        assertEquals(1011, second.get(0).id());
        assertFalse(second.get(0).malformed());
        assertTrue(second.get(0).created(), "never published before, so created");
    }

    /** A first sync's walk (MessageScan.walkOldestFirst) from the head page; returns the ids handed on, in order. */
    private List<Long> walk(java.util.function.BooleanSupplier cancelled) {
        List<Long> handedOn = new ArrayList<>();
        LectronzApi.Page head = lectronz.list(10, 0);
        MessageScan.walkOldestFirst(lectronz, 10, head, page -> page.forEach(i -> handedOn.add(i.id())), cancelled);
        return handedOn;
    }

    private static List<Long> ids(long from, int n) {
        return java.util.stream.LongStream.range(from, from + n).boxed().toList();
    }

    @Test
    void givenNothingPublishedThenTheWalkHandsOnEveryMessageOnceOldestFirstWithTheListCallsOfAScan() {
        lectronz.addMany(95);
        List<List<Long>> pages = new ArrayList<>();
        LectronzApi.Page head = lectronz.list(10, 0);

        MessageScan.walkOldestFirst(lectronz, 10, head, page -> pages.add(page.stream().map(LectronzApi.Item::id).toList()),
                () -> false);

        assertEquals(ids(1000, 10), pages.get(0), "the oldest page first");
        assertEquals(ids(1000, 95), pages.stream().flatMap(List::stream).toList());
        assertEquals(10, lectronz.listCalls.get(), "ceil(95/10), as a scan from the head");
    }

    @Test
    void givenMessagesArrivingDuringTheWalkThenEveryMessageIsHandedOnOnceOldestFirst() {
        lectronz.addMany(95);
        lectronz.beforeList = n -> {
            if (n == 2 || n == 5 || n == 9) {
                lectronz.addMany(n == 5 ? 13 : 3); // offsets shift under the walk, once by more than a page
            }
        };

        List<Long> handedOn = walk(() -> false);

        assertEquals(ids(1000, 95 + 3 + 13 + 3), handedOn, "each once, the new ones last");
    }

    @Test
    void givenTheRunEndsThenTheWalkStopsListing() {
        lectronz.addMany(95);

        List<Long> handedOn = walk(() -> lectronz.listCalls.get() >= 3);

        assertEquals(ids(1000, 20), handedOn);
        assertEquals(3, lectronz.listCalls.get());
    }

    @Test
    void givenAListThatMovesByMoreThanAPageBeforeEveryReadThenTheWalkGivesUpWithAClearError() {
        lectronz.addMany(95);
        lectronz.beforeList = n -> {
            if (n > 0) {
                lectronz.addMany(25);
            }
        };

        LectronzApi.LectronzException e = org.junit.jupiter.api.Assertions.assertThrows(
                LectronzApi.LectronzException.class, () -> walk(() -> false));

        assertTrue(e.getMessage().contains("moved"), e.getMessage());
        assertEquals(2 + MessageScan.MAX_STALLED_PAGES, lectronz.listCalls.get());
    }
}
