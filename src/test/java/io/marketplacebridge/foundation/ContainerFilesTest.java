package io.marketplacebridge.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The container files keep the promises an operator relies on (no Docker engine here, so they are checked as
 * files): Kafka's data survives {@code down}/{@code up}, Kafka is reachable from the host at localhost:9092,
 * the bridge has a readiness healthcheck and time to shut down, images are pinned, and the bridge runs as a
 * numeric non-root user.
 */
class ContainerFilesTest {

    private static Map<String, Object> compose;
    private static Map<String, Object> kafka;
    private static Map<String, Object> bridge;
    private static Properties application;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        kafka = (Map<String, Object>) services.get("kafka");
        bridge = (Map<String, Object>) services.get("bridge");
        application = new Properties();
        try (InputStream in = ContainerFilesTest.class.getResourceAsStream("/application.properties")) {
            application.load(in);
        }
    }

    @Test
    void kafkaWritesItsLogsIntoTheNamedVolume() {
        String logDirs = env(kafka).get("KAFKA_LOG_DIRS");
        assertNotNull(logDirs, "KAFKA_LOG_DIRS unset: the image would write to /tmp/kraft-combined-logs");
        String mount = list(kafka, "volumes").stream()
                .filter(v -> v.endsWith(":" + logDirs)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mounted at " + logDirs));
        String volume = mount.substring(0, mount.indexOf(':'));
        assertTrue(((Map<?, ?>) compose.get("volumes")).containsKey(volume), volume + " is not a named volume");
        assertNotNull(env(kafka).get("CLUSTER_ID"), "a fixed CLUSTER_ID lets a restart reuse the formatted log dirs");
    }

    @Test
    void kafkaIsReachableFromTheHostAtLocalhost9092AndFromTheBridgeInside() {
        Map<String, String> advertised = listeners(env(kafka).get("KAFKA_ADVERTISED_LISTENERS"));
        String external = advertised.entrySet().stream().filter(e -> e.getValue().equals("localhost:9092"))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no listener advertised as localhost:9092: " + advertised));
        assertEquals("9092", listeners(env(kafka).get("KAFKA_LISTENERS")).get(external).replaceAll(".*:", ""),
                "the host listener binds port 9092 in the container");
        assertTrue(list(kafka, "ports").contains("9092:9092"), "port 9092 is published to the host");

        String bootstrap = env(bridge).get("KAFKA_BOOTSTRAP_SERVERS");
        String internal = advertised.entrySet().stream().filter(e -> e.getValue().equals(bootstrap))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("the bridge's " + bootstrap + " is no advertised listener"));
        assertNotEquals(external, internal, "inside the network localhost is the bridge's own container");
        assertEquals(internal, env(kafka).get("KAFKA_INTER_BROKER_LISTENER_NAME"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bridgeHasAReadinessHealthcheckOnItsHttpPort() {
        Map<String, Object> healthcheck = (Map<String, Object>) bridge.get("healthcheck");
        assertNotNull(healthcheck, "bridge has no healthcheck");
        String test = String.join(" ", (List<String>) healthcheck.get("test"));
        assertTrue(test.contains("http://localhost:" + application.getProperty("bridge.http-port") + "/observe/health/ready"), test);
        assertTrue(test.contains("--fail"), "a DOWN answer (503) must fail the check: " + test);
        assertTrue(list(bridge, "ports").contains(application.getProperty("bridge.http-port")));
    }

    @Test
    void everyServiceGetsLongerToStopThanTheBridgesShutdown() {
        Duration shutdown = Duration.ofSeconds(Long.parseLong(application.getProperty("camel.main.shutdown-timeout").trim()));
        for (Map<String, Object> service : List.of(kafka, bridge)) {
            Object grace = service.get("stop_grace_period");
            assertNotNull(grace, "stop_grace_period unset: Docker's 10 s default kills the bridge mid-shutdown");
            assertTrue(composeDuration(grace.toString()).compareTo(shutdown.plusSeconds(10)) >= 0,
                    grace + " leaves the JVM no time beyond camel.main.shutdown-timeout " + shutdown);
        }
    }

    @Test
    void imagesArePinnedToAReleaseNeverLatest() throws IOException {
        List<String> images = new java.util.ArrayList<>(List.of(kafka.get("image").toString()));
        for (String line : Files.readAllLines(Path.of("docker/Dockerfile"))) {
            if (line.startsWith("FROM ")) {
                images.add(line.split("\\s+")[1]);
            }
        }
        assertEquals(3, images.size(), images.toString());
        Pattern pinned = Pattern.compile("[^:@]+(:\\d+\\.\\d+\\.\\d+[^:]*|@sha256:[0-9a-f]{64})");
        for (String image : images) {
            assertTrue(pinned.matcher(image).matches(), image + " is not pinned to a release (x.y.z) or a digest");
            assertTrue(!image.contains("latest"), image);
        }
    }

    @Test
    void bridgeRunsAsANumericNonRootUserInExecForm() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docker/Dockerfile"));
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        List<String> runtime = lines.subList(lastFrom, lines.size());
        String user = runtime.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the runtime stage has no USER"));
        Matcher numeric = Pattern.compile("USER (\\d+)(:(\\d+))?").matcher(user.trim());
        assertTrue(numeric.matches(), "USER must be numeric: " + user);
        assertNotEquals("0", numeric.group(1), "USER must not be root");
        assertTrue(runtime.stream().anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\"")),
                "exec-form ENTRYPOINT so the JVM gets SIGTERM");
    }

    @Test
    void buildContextLeavesOutBuildOutputAndHistory() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::trim).toList();
        assertTrue(ignored.contains(".git"), ignored.toString());
        assertTrue(ignored.contains("**/target") || ignored.contains("target"), ignored.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> service) {
        Map<String, Object> env = (Map<String, Object>) service.get("environment");
        Map<String, String> out = new java.util.HashMap<>();
        env.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> service, String key) {
        return ((List<Object>) service.getOrDefault(key, List.of())).stream().map(String::valueOf).toList();
    }

    /** "A://host:1,B://:2" -> {A=host:1, B=:2} */
    private static Map<String, String> listeners(String spec) {
        assertNotNull(spec);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Arrays.stream(spec.split(",")).map(String::trim).forEach(l -> {
            int sep = l.indexOf("://");
            out.put(l.substring(0, sep), l.substring(sep + 3));
        });
        return out;
    }

    /** Compose durations: 30s, 1m30s, 500ms. */
    private static Duration composeDuration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        assertEquals(text.length(), end, "not a compose duration: " + text);
        return d;
    }
}
