package io.marketplacebridge.operations;

import java.io.PrintStream;
import java.util.function.Supplier;

/** A progress line on long runs: after every 1,000 records, or 5 s since the last line, whichever comes first. */
final class ProgressReport {

    private static final long EVERY_RECORDS = 1_000;
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final Supplier<String> line;
    private long sinceLast;
    private long lastNanos = System.nanoTime();

    ProgressReport(PrintStream out, Supplier<String> line) {
        this.out = out;
        this.line = line;
    }

    /** Counts one record and prints a line when one is due. */
    void record() {
        sinceLast++;
        tick();
    }

    /** Prints a line when 5 s have passed with no line, even while no record comes (a slow broker). */
    void tick() {
        long now = System.nanoTime();
        if (sinceLast >= EVERY_RECORDS || now - lastNanos >= EVERY_NANOS) {
            out.println(line.get());
            out.flush();
            sinceLast = 0;
            lastNanos = now;
        }
    }
}
