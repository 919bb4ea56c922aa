package io.marketplacebridge.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.inbound.InboundTopics;
import io.marketplacebridge.sandbox.Endpoint;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BRIDGE_LOG_FORMAT=json: the bridge's whole output is one ECS JSON object per line, and never a secret. */
@ExtendWith(EmbeddedKafkaExtension.class)
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LECTRONZ_TOKEN = "lz-secret-7f3a9c";
    private static final String ALEPHEE_KEY = "al-secret-b81e02";

    @Test
    void givenJsonFormat_whenTheBridgeRunsAndIsRefusedByLectronz_thenEveryLineIsAnEcsObjectWithoutSecrets() throws Exception {
        String prefix = "jsonlogs-" + System.nanoTime();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(3))) {
            Map<String, String> props = InboundTopics.settings(EmbeddedKafkaExtension.bootstrapServers(),
                    sandbox.lectronzBaseUrl(), prefix);
            props.put("bridge.log-format", "json");
            props.put("bridge.allow-http", "true"); // the sandbox serves plain http
            props.put("lectronz.api-token", LECTRONZ_TOKEN); // not the sandbox's token: every call gets 401
            props.put("alephee.api-key", ALEPHEE_KEY);

            List<JsonNode> lines;
            try (BridgeProcess bridge = BridgeProcess.start(props).awaitStarted()) {
                long before = sandbox.calls(Endpoint.LECTRONZ_LIST);
                Awaitility.await("refused list calls").atMost(Duration.ofSeconds(90))
                        .until(() -> sandbox.calls(Endpoint.LECTRONZ_LIST) >= before + 3);
                Awaitility.await("the refused token logged as an error").atMost(Duration.ofSeconds(60))
                        .until(() -> parse(bridge.logFile()).stream().anyMatch(l -> "ERROR".equals(l.path("log.level").asText())));
                bridge.stop();
                lines = parse(bridge.logFile());
                String raw = Files.readString(bridge.logFile());
                assertFalse(raw.contains(LECTRONZ_TOKEN), "the Lectronz token was logged");
                assertFalse(raw.contains(ALEPHEE_KEY), "the Alephee key was logged");
            }

            assertTrue(lines.size() > 5, "expected the bridge's start-up lines, got " + lines.size());
            for (JsonNode line : lines) {
                Instant.parse(line.path("@timestamp").asText()); // RFC 3339, UTC
                assertTrue(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL").contains(line.path("log.level").asText()), line.toString());
                assertTrue(line.path("message").isTextual(), line.toString());
                // the facts of a text line: time, level, thread, logger, message
                assertTrue(line.path("process.thread.name").isTextual(), line.toString());
                assertTrue(line.path("log.logger").isTextual(), line.toString());
                assertEquals("marketplace-bridge", line.path("service.name").asText(), line.toString());
            }
            assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().contains("marketplace-bridge is running")));
        }
    }

    @Test
    void givenJsonFormatFromTheEnvironment_whenASettingIsBad_thenTheStartupErrorIsAJsonLine() throws Exception {
        Path log = Files.createTempFile("log-format", ".log");

        int exit = startWithBadSetting("json", log);

        assertEquals(2, exit, Files.readString(log));
        assertTrue(parse(log).stream().anyMatch(l -> "ERROR".equals(l.path("log.level").asText())
                && l.path("message").asText().contains("BRIDGE_OUTBOUND_CONCURRENCY must be between 1")), Files.readString(log));
    }

    @Test
    void givenAnUnknownLogFormat_whenStarting_thenStartupStopsNamingBridgeLogFormatInTextLines() throws Exception {
        Path log = Files.createTempFile("log-format", ".log");

        int exit = startWithBadSetting("yaml", log);

        String out = Files.readString(log);
        assertEquals(2, exit, out);
        assertTrue(out.contains("BRIDGE_LOG_FORMAT must be text or json, got 'yaml'"), out);
        assertTrue(out.contains("BRIDGE_OUTBOUND_CONCURRENCY must be between 1"), out);
    }

    /** Runs Main (profile test) with BRIDGE_LOG_FORMAT in its environment and BRIDGE_OUTBOUND_CONCURRENCY=0. */
    private static int startWithBadSetting(String logFormat, Path log) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dkafka.bootstrap-servers=localhost:1", "-Dbridge.http-port=0", "-Dbridge.inbound.enabled=false",
                "-Dbridge.outbound.concurrency=0", "io.marketplacebridge.Main", "--profile", "test");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("CAMEL_MAIN_PROFILE");
        pb.environment().put("BRIDGE_LOG_FORMAT", logFormat);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "must exit at once");
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    /** Every non-empty line of the output as JSON; a line that is not a JSON object fails the test. */
    private static List<JsonNode> parse(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertTrue(node.isObject(), "not a JSON object: " + line);
            out.add(node);
        }
        return out;
    }
}
