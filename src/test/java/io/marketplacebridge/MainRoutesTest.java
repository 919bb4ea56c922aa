package io.marketplacebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Main names the bundled YAML routes one by one, so Camel does not search the whole jar for them. */
class MainRoutesTest {

    @Test
    void givenTheBuiltClasses_whenListingBundledRoutes_thenEveryYamlOfTheRoutesFolderIsNamed() throws Exception {
        List<String> expected;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            expected = files.map(f -> "routes/" + f.getFileName()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }

        List<String> bundled = Main.bundledRoutes();

        assertFalse(expected.isEmpty());
        assertEquals(expected, bundled);
    }

    @Test
    void givenARoutesFolderInTheWorkingDirectory_whenStarting_thenItsFilesWin() {
        assertEquals("file:routes/*.yaml", Main.routesIncludePattern());
    }
}
