package io.marketplacebridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads, on a background thread at launch, the classes a start of the bridge loads from its jar, in the order it
 * loads them ({@value #LIST}, recorded from a prod start by {@code StartupBenchmark}). Start-up is mostly class
 * loading on one thread (about 4,800 classes from the jar before the first poll); meanwhile the second core is
 * idle. With the loading done beside the logging set-up and Camel's configuration, the main thread finds most
 * classes loaded, which takes about 0.5 s off the time to the first API call on two cores. Classes are loaded
 * and linked, not initialized, so no code of theirs runs early; a name the jar no longer has is skipped.
 */
final class StartupClasses {

    static final String LIST = "startup-classes.txt";

    private StartupClasses() {
    }

    /** Starts loading in the background; a daemon thread, so it never holds the JVM up. */
    static void preload() {
        Thread t = new Thread(StartupClasses::load, "startup-classes");
        t.setDaemon(true);
        t.start();
    }

    /** Loads the listed classes; returns those it could not load (none while the list matches the jar). */
    static List<String> load() {
        ClassLoader loader = StartupClasses.class.getClassLoader();
        List<String> missing = new ArrayList<>();
        // no logging here: this thread must not set up log4j before the main thread does
        for (String name : listed()) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The class names of the list; none when it is not in the jar or cannot be read (the start goes on without). */
    static List<String> listed() {
        List<String> names = new ArrayList<>();
        try (InputStream in = StartupClasses.class.getClassLoader().getResourceAsStream(LIST)) {
            if (in == null) {
                return names;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            names.clear();
        }
        return names;
    }
}
