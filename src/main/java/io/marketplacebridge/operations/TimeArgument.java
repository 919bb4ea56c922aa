package io.marketplacebridge.operations;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code --since TIME}: an RFC 3339 time ({@code 2026-11-30T08:00:00Z}) or a duration back from now ({@code 24h}). */
final class TimeArgument {

    private static final Pattern DURATION = Pattern.compile("(?:\\d+[smhd])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([smhd])");

    private TimeArgument() {
    }

    static Instant parse(String option, String text, Instant now) throws UsageException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (DURATION.matcher(t).matches()) {
            try {
                return now.minus(duration(t));
            } catch (ArithmeticException e) {
                throw new UsageException(option + " '" + text + "' is too far back");
            }
        }
        try {
            return rfc3339(t);
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " '" + text + "' is neither an RFC 3339 time (2026-11-30T08:00:00Z)"
                    + " nor a duration back from now (24h, 30m, 7d)");
        }
    }

    /** An RFC 3339 date-time; throws DateTimeParseException when it is not one. */
    static Instant rfc3339(String text) {
        // RFC 3339 allows a lower-case t and z; Java's ISO parser wants them upper-case
        return OffsetDateTime.parse(text.trim().toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    private static Duration duration(String text) {
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }
}
