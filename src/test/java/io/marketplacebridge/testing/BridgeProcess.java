package io.marketplacebridge.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * The bridge in its own JVM (profile test), so a test can kill it with SIGKILL as an operator's
 * {@code kill -9} would. Settings are passed as -D system properties; output goes to a log file.
 */
public final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private BridgeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code io.marketplacebridge.Main --profile test} with the given properties. */
    public static BridgeProcess start(Map<String, String> properties) throws IOException {
        Path log = Files.createTempFile("bridge-process", ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (!properties.containsKey("bridge.http-port")) {
            cmd.add("-Dbridge.http-port=0");
        }
        cmd.add("io.marketplacebridge.Main");
        cmd.add("--profile");
        cmd.add("test");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("CAMEL_MAIN_PROFILE");
        return new BridgeProcess(pb.start(), log);
    }

    /** Waits until the log shows Camel fully started. */
    public BridgeProcess awaitStarted() {
        Awaitility.await("bridge process started").atMost(Duration.ofSeconds(90)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("bridge process exited " + process.exitValue() + ":\n" + log());
            }
            return log().contains("marketplace-bridge is running");
        });
        return this;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }

    static String separator() {
        return File.pathSeparator;
    }
}
