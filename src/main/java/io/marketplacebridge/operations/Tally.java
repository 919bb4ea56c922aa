package io.marketplacebridge.operations;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What a run did, for its progress lines and its summary. */
final class Tally {

    long scanned;
    long matched;
    private final Map<String, Long> skipped = new LinkedHashMap<>();

    void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One summary line, e.g. {@code redrive summary: scanned 12, matched 5, redriven 4, skipped 1 (already
     * redriven: 1), failed 0}.
     */
    void printSummary(PrintStream out, String command, String writtenWord, long written, long failed, long notAttempted) {
        StringBuilder sb = new StringBuilder(command).append(" summary: scanned ").append(scanned)
                .append(", matched ").append(matched)
                .append(", ").append(writtenWord).append(' ').append(written)
                .append(", skipped ").append(skippedTotal());
        if (!skipped.isEmpty()) {
            sb.append(skipped.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", ", " (", ")")));
        }
        sb.append(", failed ").append(failed);
        if (notAttempted > 0) {
            sb.append(", not attempted ").append(notAttempted);
        }
        out.println(sb);
    }
}
