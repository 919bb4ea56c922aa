package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetailFetcherTest {

    private final ExecutorService fetchers = Executors.newFixedThreadPool(4);
    private final FakeLectronz lectronz = new FakeLectronz();

    @AfterEach
    void stop() {
        fetchers.shutdownNow();
    }

    private List<LectronzApi.Item> changed() {
        List<LectronzApi.Item> items = new ArrayList<>(lectronz.list(10_000, 0).messages());
        items.sort(MessageScan.OLDEST_FIRST);
        return items;
    }

    @Test
    void givenABacklogThenDetailsArePublishedOldestFirstInBatches() throws Exception {
        lectronz.addMany(600);
        List<List<InboundMessage>> batches = new ArrayList<>();

        int fetched = new DetailFetcher(lectronz, fetchers, 250).fetchAndWrite(changed(), Map.of(), batches::add);

        assertEquals(600, fetched);
        assertEquals(List.of(250, 250, 100), batches.stream().map(List::size).toList());
        List<Long> ids = batches.stream().flatMap(List::stream).map(InboundMessage::id).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "oldest first");
        assertTrue(batches.get(0).stream().allMatch(InboundMessage::created));
    }

    @Test
    void givenDetailsFetchedDuringTheScanThenEachItemIsFetchedOnceAndStillPublishedOldestFirst() throws Exception {
        lectronz.addMany(600);
        DetailFetcher fetcher = new DetailFetcher(lectronz, fetchers, 250);
        MessageScan.Result scan = MessageScan.scan(lectronz, 50, Map.of(), false, fetcher::prefetch);
        List<List<InboundMessage>> batches = new ArrayList<>();

        fetcher.fetchAndWrite(scan.changed(), Map.of(), batches::add);

        assertEquals(600, lectronz.detailCalls.get(), "no detail fetched twice");
        List<Long> ids = batches.stream().flatMap(List::stream).map(InboundMessage::id).toList();
        assertEquals(600, ids.size());
        assertEquals(ids.stream().sorted().toList(), ids, "oldest first");
    }

    @Test
    void givenARunThatEndsAfterTheScanThenDetailsNotStartedAreNotFetched() throws Exception {
        lectronz.addMany(600);
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            one.execute(() -> {
                try {
                    hold.await(); // the only fetcher is busy: every prefetch waits in its queue
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            DetailFetcher fetcher = new DetailFetcher(lectronz, one, 250);
            MessageScan.scan(lectronz, 50, Map.of(), false, fetcher::prefetch);
            fetcher.cancel();
            hold.countDown();
            one.shutdown();
            assertTrue(one.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, lectronz.detailCalls.get());
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void givenADetailWhoseVersionIsPublishedThenItIsSkippedAndAChangedOneIsAnUpdate() throws Exception {
        lectronz.addMany(3);
        Map<Long, String> known = new HashMap<>();
        known.put(1000L, lectronz.get(1000).updatedAt);      // the list was ahead of nothing
        known.put(1001L, "2020-01-01T00:00:00Z");            // published, changed since
        List<InboundMessage> published = new ArrayList<>();

        new DetailFetcher(lectronz, fetchers, 250).fetchAndWrite(changed(), known, published::addAll);

        assertEquals(List.of(1001L, 1002L), published.stream().map(InboundMessage::id).toList());
        assertEquals(List.of(false, true), published.stream().map(InboundMessage::created).toList());
    }

    @Test
    void givenAFailingDetailThenTheBatchesBeforeItAreWrittenAndTheFailureEndsTheRun() {
        lectronz.addMany(300);
        LectronzApi failing = new LectronzApi() {
            @Override
            public Page list(int limit, int offset) {
                return lectronz.list(limit, offset);
            }

            @Override
            public byte[] message(long id) {
                if (id == 1280) {
                    throw new LectronzException("Lectronz message 1280 failed: HTTP 503", 503, null);
                }
                return lectronz.message(id);
            }

            @Override
            public void markAsRead(long id) {
                lectronz.markAsRead(id);
            }
        };
        List<List<InboundMessage>> batches = new ArrayList<>();

        assertThrows(LectronzApi.LectronzException.class,
                () -> new DetailFetcher(failing, fetchers, 250).fetchAndWrite(changed(), Map.of(), batches::add));
        assertEquals(List.of(250), batches.stream().map(List::size).toList(), "the first batch is written, the rest is not");
    }
}
