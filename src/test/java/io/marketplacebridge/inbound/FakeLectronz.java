package io.marketplacebridge.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** An in-memory Lectronz for the scan logic: messages in creation order, counters, a hook between list calls. */
final class FakeLectronz implements LectronzApi {

    static final class Msg {
        final long id;
        final long orderId;
        final String type;
        final String createdAt;
        String updatedAt;
        String readAt;
        String body; // when set, returned instead of the generated JSON

        Msg(long id, long orderId, String type, String createdAt) {
            this.id = id;
            this.orderId = orderId;
            this.type = type;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        String json() {
            return body != null ? body : "{\"id\":" + id + ",\"content\":\"hello " + id + "\",\"type\":\"" + type
                    + "\",\"subject\":{\"id\":" + orderId + ",\"type\":\"order\",\"link\":\"https://lectronz.com/orders/"
                    + orderId + "\"},\"created_at\":\"" + createdAt + "\",\"updated_at\":\"" + updatedAt
                    + "\",\"read_at\":" + (readAt == null ? "null" : "\"" + readAt + "\"") + "}";
        }
    }

    final List<Msg> byCreation = new ArrayList<>();
    final AtomicInteger listCalls = new AtomicInteger();
    final AtomicInteger detailCalls = new AtomicInteger();
    final AtomicInteger markCalls = new AtomicInteger();
    /** Runs before answering list call number n (0-based), e.g. to add messages mid-scan. */
    volatile IntConsumer beforeList = n -> { };
    private long clock = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();

    synchronized Msg add(String type, long orderId) {
        long id = 1000 + byCreation.size();
        Msg m = new Msg(id, orderId, type, Instant.ofEpochSecond(clock++).toString());
        byCreation.add(m);
        return m;
    }

    synchronized void addMany(int n) {
        for (int i = 0; i < n; i++) {
            add(i % 3 == 0 ? "seller_order_message" : "customer_order_message", 500 + i / 3);
        }
    }

    synchronized void touch(Msg m) {
        m.updatedAt = Instant.ofEpochSecond(clock++).toString();
    }

    synchronized Msg get(long id) {
        return byCreation.stream().filter(m -> m.id == id).findFirst().orElseThrow();
    }

    @Override
    public Page list(int limit, int offset) {
        beforeList.accept(listCalls.getAndIncrement());
        synchronized (this) {
            List<Item> items = new ArrayList<>();
            for (int i = byCreation.size() - 1 - offset; i >= 0 && items.size() < limit; i--) {
                Msg m = byCreation.get(i);
                items.add(new Item(m.id, m.type, m.createdAt, m.updatedAt));
            }
            return new Page(byCreation.size(), items);
        }
    }

    @Override
    public byte[] message(long id) {
        detailCalls.incrementAndGet();
        synchronized (this) {
            return get(id).json().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void markAsRead(long id) {
        markCalls.incrementAndGet();
        synchronized (this) {
            Msg m = get(id);
            if (m.readAt == null) {
                m.readAt = Instant.ofEpochSecond(clock).toString();
                touch(m);
            }
        }
    }
}
