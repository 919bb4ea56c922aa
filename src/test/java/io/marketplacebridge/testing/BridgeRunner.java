package io.marketplacebridge.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import io.marketplacebridge.Main;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;

/**
 * Runs the whole bridge in this JVM, exactly as {@code java -jar} wires it, with property overrides.
 * The default profile is {@code test}: nothing embedded, the test passes every address.
 */
public final class BridgeRunner implements AutoCloseable {

    private final org.apache.camel.main.Main main;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private BridgeRunner(String profile, Map<String, String> overrides, List<Class<? extends CamelConfiguration>> extra) {
        Properties props = new Properties();
        props.putAll(overrides);
        props.putIfAbsent("bridge.http-port", "0");
        this.main = Main.create(profile, props);
        for (Class<? extends CamelConfiguration> c : extra) {
            main.configure().addConfiguration(c); // runs after the bridge's own, so it may replace a bean
        }
        this.thread = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "bridge-under-test");
    }

    /** Starts the bridge in the test profile and waits until Camel has fully started. */
    public static BridgeRunner start(Map<String, String> overrides) {
        return start("test", overrides);
    }

    /** As {@link #start(Map)}, with a configuration of the test applied after the bridge's (e.g. a bean that fails on purpose). */
    public static BridgeRunner start(Map<String, String> overrides, Class<? extends CamelConfiguration> extra) {
        return start("test", overrides, List.of(extra));
    }

    public static BridgeRunner start(String profile, Map<String, String> overrides) {
        return start(profile, overrides, List.of());
    }

    private static BridgeRunner start(String profile, Map<String, String> overrides, List<Class<? extends CamelConfiguration>> extra) {
        BridgeRunner runner = new BridgeRunner(profile, overrides, extra);
        runner.thread.start();
        Awaitility.await("bridge started").atMost(Duration.ofSeconds(60)).until(() -> {
            if (runner.failure.get() != null) {
                throw new IllegalStateException("bridge failed to start", runner.failure.get());
            }
            CamelContext ctx = runner.main.getCamelContext();
            return ctx != null && ctx.getStatus() == ServiceStatus.Started;
        });
        return runner;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
