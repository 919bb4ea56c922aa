package io.marketplacebridge.inbound;

import java.time.Duration;
import java.util.function.IntSupplier;

import org.slf4j.Logger;

/** A log line every few seconds during a backlog: done/total, rate and ETA. */
final class Progress {

    private static final long EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final Logger log;
    /** The messages to publish in all: a first sync learns it as it walks the list. */
    private final IntSupplier total;
    private final long started = System.nanoTime();
    private long lastLog = started;
    private int done;

    Progress(Logger log, IntSupplier total) {
        this.log = log;
        this.total = total;
    }

    void advance(int n) {
        done += n;
        long now = System.nanoTime();
        int total = this.total.getAsInt();
        if (now - lastLog >= EVERY_NANOS && done < total) {
            lastLog = now;
            double rate = rate();
            long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
            log.info("inbound sync: {}/{} messages ({}%), {} msg/s, ETA {}", done, total, 100 * done / Math.max(1, total),
                    Math.round(rate), eta < 0 ? "?" : eta + "s");
        }
    }

    double rate() {
        double seconds = (System.nanoTime() - started) / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    int done() {
        return done;
    }
}
