package io.marketplacebridge.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.marketplacebridge.config.InvalidSettingsException;
import org.junit.jupiter.api.Test;

/** Command lines and settings of the commands; nothing here reaches Kafka. */
class ArgumentsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    private record Run(int code, String out, String err) {
    }

    private static Run run(String profile, Properties settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Operations.run(profile, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Arrays.asList(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Settings that point at no broker: a bad command line must be refused before any is needed. */
    private static Run run(String... args) {
        Properties p = new Properties();
        p.put("kafka.bootstrap-servers", "localhost:1");
        return run("test", p, args);
    }

    @Test
    void badCommandLinesExit2WithTheUsage() {
        for (List<String> args : List.of(
                List.of("redrive", "--bogus"),
                List.of("redrive", "--code"),
                List.of("redrive", "--since", "yesterday"),
                List.of("redrive", "--since", "1h", "--since", "2h"),
                List.of("redrive", "extra"),
                List.of("replay", "--since", "24h"),
                List.of("replay", "--account", "shop-eu"),
                List.of("replay", "--account", "Shop_EU", "--since", "1h"),
                List.of("replay", "--account", "shop-eu", "--since", "2026-13-01T00:00:00Z"),
                List.of("replay", "--account", "shop-eu", "--since", "1h", "--again"))) {
            Run run = run(args.toArray(String[]::new));
            assertEquals(2, run.code(), args + ": " + run.err());
            assertTrue(run.err().contains("Usage: java -jar marketplace-bridge.jar " + args.get(0) + " "), run.err());
            assertEquals("", run.out(), "nothing ran");
        }
        Run unknown = run("replay", "--bogus");
        assertTrue(unknown.err().startsWith("replay: unknown option --bogus"), unknown.err());
    }

    @Test
    void helpPrintsTheCommandsUsageAndExits0() {
        for (String command : List.of("redrive", "replay")) {
            Run run = run(command, "--dry-run", "--help");

            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().startsWith("Usage: java -jar marketplace-bridge.jar " + command + " "), run.out());
            assertEquals("", run.err());
        }
    }

    @Test
    void timeIsRfc3339OrADurationBackFromNow() throws Exception {
        assertEquals(NOW.minus(Duration.ofHours(24)), TimeArgument.parse("--since", "24h", NOW));
        assertEquals(NOW.minus(Duration.ofMinutes(30)), TimeArgument.parse("--since", "30m", NOW));
        assertEquals(NOW.minus(Duration.ofDays(7)), TimeArgument.parse("--since", "7d", NOW));
        assertEquals(NOW.minus(Duration.ofMinutes(90)), TimeArgument.parse("--since", "1h30m", NOW));
        assertEquals(Instant.parse("2026-11-29T22:00:00Z"), TimeArgument.parse("--since", "2026-11-30T00:00:00+02:00", NOW));
        assertEquals(Instant.parse("2026-11-29T22:00:00.250Z"), TimeArgument.parse("--since", "2026-11-29t22:00:00.25z", NOW));
        for (String bad : List.of("yesterday", "24", "h", "-1h", "2026-11-30", "2026-11-30T00:00:00")) {
            UsageException e = assertThrows(UsageException.class, () -> TimeArgument.parse("--since", bad, NOW), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void theCommandsNeedOnlyKafkaSettingsNoRemoteCredentials() {
        Properties kafkaOnly = new Properties();
        kafkaOnly.put("kafka.bootstrap-servers", "kafka-1:9092");
        CommandSettings loaded = CommandSettings.load("prod", kafkaOnly);
        assertEquals("kafka-1:9092", loaded.clients().bootstrapServers());
        assertEquals("marketplace.outbound.dlq", loaded.settings().topics().dlq());

        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> CommandSettings.load("prod", new Properties()));
        assertEquals(List.of("KAFKA_BOOTSTRAP_SERVERS"), e.missing());
        Run run = run("prod", new Properties(), "redrive", "--dry-run");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("KAFKA_BOOTSTRAP_SERVERS"), run.err());
    }

    @Test
    void devProfileUsesTheBrokerADevBridgeEmbeds() {
        CommandSettings dev = CommandSettings.load("dev", new Properties());
        assertEquals("localhost:9092", dev.clients().bootstrapServers());
        assertEquals(4, dev.settings().topicPartitions(), "application-dev.properties applies on top");
    }
}
