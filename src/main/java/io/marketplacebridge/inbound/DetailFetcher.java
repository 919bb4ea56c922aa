package io.marketplacebridge.inbound;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fetches the details of the changed items with at most {@code concurrency} GETs in flight (the executor's
 * size) and hands them on in batches, oldest first. Fetching runs ahead of the caller by a bounded window,
 * so the detail GETs keep going while a batch is being written to Kafka. It can start earlier still: the scan
 * hands it each changed item as its page is read ({@link #prefetch}), up to {@value #PREFETCH_LIMIT} of them,
 * so the details of a large backlog are fetched while the scan is still listing it.
 */
public final class DetailFetcher {

    /** Receives one batch; returns normally once it is safely written. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(List<InboundMessage> batch) throws Exception;
    }

    static final Set<String> TYPES = Set.of("customer_order_message", "seller_order_message", "refund_order_message");
    /** Details fetched during the scan, at most: 10 to 20 MB held until their batch is written. */
    static final int PREFETCH_LIMIT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LectronzApi api;
    private final ExecutorService fetchers;
    private final int batchSize;
    /** Item id to the detail fetched for it during the scan. */
    private final Map<Long, CompletableFuture<InboundMessage>> prefetched = new ConcurrentHashMap<>();

    public DetailFetcher(LectronzApi api, ExecutorService fetchers, int batchSize) {
        this.api = api;
        this.fetchers = fetchers;
        this.batchSize = batchSize;
    }

    /** During the scan: starts fetching this changed item's detail, unless {@value #PREFETCH_LIMIT} are started already. */
    public void prefetch(LectronzApi.Item item, String lastPublished) {
        if (prefetched.size() < PREFETCH_LIMIT) {
            prefetched.computeIfAbsent(item.id(), id -> CompletableFuture.supplyAsync(() -> detail(item, lastPublished), fetchers));
        }
    }

    /** The run ends without publishing: the details not started yet are not fetched. */
    public void cancel() {
        prefetched.values().forEach(f -> f.cancel(false));
        prefetched.clear();
    }

    /** As {@link #fetchAndWrite(ChangedMessages, Map, BatchSink)} for the items of a complete scan. */
    public int fetchAndWrite(List<LectronzApi.Item> changed, Map<Long, String> known, BatchSink sink) throws Exception {
        return fetchAndWrite(ChangedMessages.of(changed), known, sink);
    }

    /**
     * Fetches every changed item (or takes the detail fetched during the scan), skips those whose detail
     * {@code updated_at} is already known, and writes the rest in batches, oldest first. Takes the items as the scan
     * finds them: a batch is written once its details are here, without waiting for the scan's next page. Stops
     * at the first failed detail (the batches before it are written; the rest is found again by the next scan); a
     * scan that failed has what it found before written first, then its failure thrown. In every case ends the scan.
     *
     * @return how many detail GETs were made
     */
    int fetchAndWrite(ChangedMessages changed, Map<Long, String> known, BatchSink sink) throws Exception {
        int window = 2 * batchSize;
        Deque<CompletableFuture<InboundMessage>> inFlight = new ArrayDeque<>();
        int fetched = 0;
        List<InboundMessage> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                LectronzApi.Item item;
                // wait for the scan only when nothing is in flight: else write what is fetched meanwhile
                while (inFlight.size() < window && (item = changed.next(inFlight.isEmpty())) != null) {
                    String last = known.get(item.id());
                    CompletableFuture<InboundMessage> early = prefetched.remove(item.id());
                    LectronzApi.Item i = item;
                    inFlight.add(early != null ? early : CompletableFuture.supplyAsync(() -> detail(i, last), fetchers));
                }
                if (inFlight.isEmpty()) {
                    break; // the scan ended and everything is written
                }
                InboundMessage m = join(inFlight.removeFirst());
                fetched++;
                if (m != null) {
                    batch.add(m);
                }
                if (batch.size() >= batchSize) {
                    sink.accept(List.copyOf(batch));
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                sink.accept(List.copyOf(batch));
            }
            changed.checkScanEnded();
            return fetched;
        } finally {
            changed.cancel();
            inFlight.forEach(f -> f.cancel(false));
            cancel();
        }
    }

    /** The future's value; its failure as thrown (a LectronzException stays one). */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The detail as an InboundMessage, or null when it holds nothing new (same updated_at as published). */
    private InboundMessage detail(LectronzApi.Item item, String lastPublished) {
        byte[] body = api.message(item.id());
        return parse(item, lastPublished, body);
    }

    static InboundMessage parse(LectronzApi.Item item, String lastPublished, byte[] body) {
        boolean created = lastPublished == null;
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return InboundMessage.malformed(item.id(), item.type(), item.createdAt(), item.updatedAt(), created,
                    "not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            return InboundMessage.malformed(item.id(), item.type(), item.createdAt(), item.updatedAt(), created,
                    "not a JSON object");
        }
        String updatedAt = text(root, "updated_at");
        if (updatedAt != null && updatedAt.equals(lastPublished)) {
            return null; // the list was ahead of nothing: this version is already on Kafka
        }
        String type = text(root, "type");
        JsonNode id = root.get("id");
        JsonNode subject = root.get("subject");
        JsonNode orderId = subject == null ? null : subject.get("id");
        String problem = null;
        if (id == null || !id.canConvertToLong() || id.asLong() != item.id()) {
            problem = "id is " + id + ", expected " + item.id();
        } else if (updatedAt == null) {
            problem = "updated_at is missing";
        } else if (!TYPES.contains(type)) {
            problem = "unknown type '" + type + "'";
        } else if (orderId == null || !orderId.asText("").matches("\\d+")) {
            problem = "subject.id is " + orderId + ", expected an order id";
        }
        String createdAt = text(root, "created_at") != null ? text(root, "created_at") : item.createdAt();
        if (problem != null) {
            return InboundMessage.malformed(item.id(), type, createdAt, updatedAt != null ? updatedAt : item.updatedAt(),
                    created, problem);
        }
        JsonNode readAt = root.get("read_at");
        boolean unread = readAt == null || readAt.isNull();
        return new InboundMessage(item.id(), type, orderId.asText(), createdAt, updatedAt, created, unread, body, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
