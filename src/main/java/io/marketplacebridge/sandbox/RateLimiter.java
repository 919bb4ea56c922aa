package io.marketplacebridge.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A fixed one-minute window per API key, like Alephee's per-minute limit. 0 requests per minute = unlimited. */
final class RateLimiter {

    static final long WINDOW_MILLIS = 60_000;
    private static final int UNLIMITED = 1_000_000;

    record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile int limit;

    RateLimiter(int requestsPerMinute) {
        limit(requestsPerMinute);
    }

    void limit(int requestsPerMinute) {
        this.limit = requestsPerMinute <= 0 ? UNLIMITED : requestsPerMinute;
    }

    void reset() {
        windows.clear();
    }

    Decision acquire(String key) {
        return windows.computeIfAbsent(key, k -> new Window()).acquire(limit, System.currentTimeMillis());
    }

    private static final class Window {
        private long start = -WINDOW_MILLIS;
        private int used;

        synchronized Decision acquire(int limit, long now) {
            if (now - start >= WINDOW_MILLIS) {
                start = now;
                used = 0;
            }
            long reset = Math.max(1, (start + WINDOW_MILLIS - now + 999) / 1000);
            if (used >= limit) {
                return new Decision(false, limit, 0, reset);
            }
            used++;
            return new Decision(true, limit, limit - used, reset);
        }
    }
}
