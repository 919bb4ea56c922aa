package io.marketplacebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StartupClassesTest {

    @Test
    void everyClassOfTheStartupListIsStillThere() {
        List<String> listed = StartupClasses.listed();
        assertTrue(listed.size() > 1_000, "the list holds a prod start's classes, got " + listed.size());

        List<String> missing = StartupClasses.load();

        assertEquals(List.of(), missing, "a dependency changed: record the list again (StartupBenchmark, "
                + "-Dbench.record-classes=src/main/resources/startup-classes.txt)");
    }

    @Test
    void theListLeavesTheLoggingSetUpToTheMainThread() {
        assertTrue(StartupClasses.listed().stream().noneMatch(n -> n.startsWith("org.apache.logging.")
                || n.startsWith("org.slf4j.")));
    }
}
