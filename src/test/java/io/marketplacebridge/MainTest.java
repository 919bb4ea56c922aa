package io.marketplacebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The jar's command line: anything it does not know is refused with exit 2 and the usage, before anything starts. */
class MainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownArgumentsAndSubcommandsExit2WithTheUsage() {
        for (String[] args : List.of(new String[] {"--bogus"}, new String[] {"frobnicate"}, new String[] {"-h", "x"},
                new String[] {"--profile", "prod", "--routes", "x.yaml"}, new String[] {"--profile"})) {
            Run run = run(args);
            assertEquals(2, run.code(), String.join(" ", args));
            assertTrue(run.err().contains("Unknown argument " + (args.length == 4 ? "--routes" : args[0])), run.err());
            for (String usage : List.of("[--profile dev|prod]", "sandbox [--port N]", "redrive [--code CODE]...",
                    "replay --account NAME --since TIME")) {
                assertTrue(run.err().contains(usage), usage + " missing from:\n" + run.err());
            }
        }
    }

    @Test
    void helpPrintsTheUsageAndExits0() {
        Run run = run("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().startsWith("Usage: java -jar marketplace-bridge.jar"), run.out());
    }

    @Test
    void anUnknownProfileExits2NamingTheSetting() {
        Run run = run("--profile", "staging");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("CAMEL_MAIN_PROFILE"), run.err());
    }

    @Test
    void theCommandsAreDispatchedWithTheirOwnUsage() {
        Run run = run("--profile", "prod", "replay", "--account", "shop-eu");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("replay: --since TIME is required"), run.err());
    }
}
