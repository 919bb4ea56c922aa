package io.marketplacebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DevEnvironmentTest {

    @Test
    void sandboxIdsOfALaterRunStartAboveTheIdsAnEarlierRunCouldHaveUsed() {
        long first = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();
        long second = first + 6_000; // a 1 s run plus a 5 s start-up: the shortest gap between two dev runs
        long idsUsedByFirstRun = 25 + 2; // seeded + a demo question and its reply
        assertTrue(DevEnvironment.firstMessageIdFromClock(second)
                > DevEnvironment.firstMessageIdFromClock(first) + idsUsedByFirstRun);
    }

    @Test
    void sandboxIdsStayWithinIntRangeForYears() {
        assertEquals(1, DevEnvironment.firstMessageIdFromClock(0));
        long year2032 = Instant.parse("2032-06-30T00:00:00Z").toEpochMilli();
        assertTrue(DevEnvironment.firstMessageIdFromClock(year2032) < Integer.MAX_VALUE);
    }
}
