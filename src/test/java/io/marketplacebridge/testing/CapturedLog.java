package io.marketplacebridge.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything logged while it is open, with the root level lowered to DEBUG (loggers the shipped log4j2.properties
 * pins keep their level), with exceptions, their causes and suppressed ones: for tests that assert what must never
 * reach a log. Left out: the test doubles' own server logs (Jetty, WireMock).
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previousRootLevel;
    private final Map<String, Appender> consoles;

    private CapturedLog() {
        super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        previousRootLevel = root.getLevel();
        consoles = Map.copyOf(root.getAppenders());
        // the console keeps showing what it showed; only this capture sees DEBUG
        consoles.keySet().forEach(root::removeAppender);
        consoles.values().forEach(a -> root.addAppender(a, previousRootLevel, null));
        start();
        root.addAppender(this, Level.DEBUG, null);
        root.setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    public static CapturedLog capture() {
        return new CapturedLog();
    }

    private static final List<String> NOT_CAPTURED = List.of("org.eclipse.jetty", "wiremock", "com.github.tomakehurst");

    @Override
    public void append(LogEvent event) {
        String logger = event.getLoggerName() == null ? "" : event.getLoggerName();
        if (NOT_CAPTURED.stream().anyMatch(logger::startsWith)) {
            return;
        }
        StringBuilder sb = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                + event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append("\n  caused by ").append(t);
            for (Throwable s : t.getSuppressed()) {
                sb.append("\n  suppressed ").append(s);
            }
        }
        lines.add(sb.toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Every line holding {@code text}. */
    public List<String> linesWith(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.removeAppender(getName());
        consoles.keySet().forEach(root::removeAppender);
        consoles.values().forEach(a -> root.addAppender(a, null, null));
        root.setLevel(previousRootLevel);
        ctx.updateLoggers();
        stop();
    }
}
