package io.marketplacebridge.inbound;

import java.util.concurrent.atomic.AtomicLong;

/** A Lectronz API that counts its calls, for the HTTP calls each run reports. */
final class CountingLectronzApi implements LectronzApi {

    private final LectronzApi delegate;
    private final AtomicLong calls = new AtomicLong();

    CountingLectronzApi(LectronzApi delegate) {
        this.delegate = delegate;
    }

    /** The calls made so far. */
    long calls() {
        return calls.get();
    }

    @Override
    public Page list(int limit, int offset) {
        calls.incrementAndGet();
        return delegate.list(limit, offset);
    }

    @Override
    public byte[] message(long id) {
        calls.incrementAndGet();
        return delegate.message(id);
    }

    @Override
    public void markAsRead(long id) {
        calls.incrementAndGet();
        delegate.markAsRead(id);
    }
}
