package io.marketplacebridge.operations;

import java.io.PrintStream;
import java.util.function.Supplier;

/** A progress line on long runs: at every 1,000th record, and whenever 5 s have passed since the last line. */
final class ProgressReport {

    private static final long EVERY_RECORDS = 1_000;
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final Supplier<String> line;
    private long records;
    private long lastNanos = System.nanoTime();

    ProgressReport(PrintStream out, Supplier<String> line) {
        this.out = out;
        this.line = line;
    }

    /** Counts one record (call it once the record is handled) and prints a line when one is due. */
    void record() {
        records++;
        if (records % EVERY_RECORDS == 0) {
            print(System.nanoTime());
        } else {
            tick();
        }
    }

    /** Prints a line when 5 s have passed with no line, even while no record comes (a slow broker). */
    void tick() {
        long now = System.nanoTime();
        if (now - lastNanos >= EVERY_NANOS) {
            print(now);
        }
    }

    private void print(long now) {
        out.println(line.get());
        out.flush();
        lastNanos = now;
    }
}
