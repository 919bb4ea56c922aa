package io.marketplacebridge;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import io.marketplacebridge.config.InvalidSettingsException;
import io.marketplacebridge.http.TrustStoreWarmUp;
import io.marketplacebridge.kafka.KafkaTransactions;
import io.marketplacebridge.operations.Operations;
import io.marketplacebridge.sandbox.SandboxServer;

/**
 * Starts marketplace-bridge on Camel Main.
 * <ul>
 *   <li>{@code java -jar marketplace-bridge.jar} runs the dev profile (embedded Kafka + sandbox);</li>
 *   <li>{@code --profile prod} or {@code CAMEL_MAIN_PROFILE=prod}: nothing embedded;</li>
 *   <li>{@code java -jar marketplace-bridge.jar sandbox [--port 8089]} runs only the API sandbox;</li>
 *   <li>{@code redrive ...} and {@code replay ...}: the operations commands ({@link Operations}).</li>
 * </ul>
 */
public final class Main {

    static final Set<String> PROFILES = Set.of("dev", "prod", "test");
    private static final Set<String> HELP = Set.of("--help", "-h", "help");

    private Main() {
    }

    public static void main(String... args) throws Exception {
        if (args.length > 0 && "sandbox".equals(args[0])) {
            SandboxServer.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(run(System.out, System.err, args));
    }

    /** Everything but {@code sandbox} (which runs until stopped): the bridge or a command; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        List<String> rest = new ArrayList<>();
        String profile;
        try {
            profile = profile(args, rest);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (!rest.isEmpty() && Operations.COMMANDS.contains(rest.get(0))) {
            return Operations.run(profile, new Properties(), out, err, rest);
        }
        if (rest.size() == 1 && HELP.contains(rest.get(0))) {
            out.println(usage());
            return 0;
        }
        if (!rest.isEmpty()) {
            // Camel Main's own options are not offered: settings are properties (env, -D), see the README
            err.println("Unknown argument " + rest.get(0) + ".");
            err.println(usage());
            return 2;
        }
        int code;
        try {
            StartupClasses.preload(); // while the logging and Camel Main set up
            TrustStoreWarmUp.start();
            code = create(profile, new Properties()).run(new String[0]);
        } catch (InvalidSettingsException e) {
            code = 2;
        } catch (Exception e) {
            if (BridgeConfiguration.startupFailure() == null) { // a settings problem is already logged, as a message
                err.println("marketplace-bridge stopped: " + KafkaTransactions.rootMessage(e));
            }
            code = 1;
        }
        if (BridgeConfiguration.startupFailure() != null) {
            code = 2; // already logged, naming every bad setting
        }
        return code;
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("Usage: java -jar marketplace-bridge.jar [--profile dev|prod]    run the bridge");
        sb.append("\n       java -jar marketplace-bridge.jar sandbox [--port N]");
        Operations.USAGE.forEach(u -> sb.append("\n       java -jar marketplace-bridge.jar ").append(u));
        return sb.toString();
    }

    /** A configured, not yet started Camel Main for the given profile, with property overrides (tests). */
    public static org.apache.camel.main.Main create(String profile, Properties overrides) {
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        main.configure().withProfile(profile);
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.configure().withRoutesIncludePattern(routesIncludePattern());
        if (!overrides.isEmpty()) {
            main.setOverrideProperties(overrides);
        }
        return main;
    }

    /** YAML routes from ./routes when that folder exists (edit without rebuilding), else from the jar. */
    static String routesIncludePattern() {
        String explicit = System.getProperty("camel.main.routes-include-pattern",
                System.getenv("CAMEL_MAIN_ROUTES_INCLUDE_PATTERN"));
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        if (Files.isDirectory(Path.of("routes"))) {
            return "file:routes/*.yaml";
        }
        List<String> bundled = bundledRoutes();
        return bundled.isEmpty() ? "classpath:routes/*.yaml"
                : String.join(",", bundled.stream().map(r -> "classpath:" + r).toList());
    }

    /**
     * The routes/*.yaml inside the jar (or target/classes), by name: given a wildcard, Camel finds classpath
     * resources by inflating every entry of the 70 MB jar, twice (route loading and modeline), which was
     * most of the start-up time. The jar's central directory lists them at once.
     */
    static List<String> bundledRoutes() {
        try {
            Path codeSource = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(codeSource)) {
                try (var files = Files.list(codeSource.resolve("routes"))) {
                    return files.map(f -> "routes/" + f.getFileName()).filter(n -> n.endsWith(".yaml")).sorted().toList();
                }
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(codeSource.toFile())) {
                return jar.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith("routes/") && n.endsWith(".yaml") && n.indexOf('/', 7) < 0)
                        .sorted().toList();
            }
        } catch (Exception e) {
            return List.of(); // fall back to Camel's own search
        }
    }

    /** --profile X, then -Dcamel.main.profile, then CAMEL_MAIN_PROFILE, else dev. */
    static String profile(String[] args, List<String> rest) {
        String profile = null;
        for (int i = 0; i < args.length; i++) {
            if ("--profile".equals(args[i]) && i + 1 < args.length) {
                profile = args[++i];
            } else if (args[i].startsWith("--profile=")) {
                profile = args[i].substring("--profile=".length());
            } else {
                rest.add(args[i]);
            }
        }
        if (profile == null) {
            profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
        }
        profile = profile == null || profile.isBlank() ? "dev" : profile.trim().toLowerCase(Locale.ROOT);
        if (!PROFILES.contains(profile)) {
            throw new IllegalArgumentException("Invalid setting CAMEL_MAIN_PROFILE: '" + profile
                    + "' (use dev, prod or test)");
        }
        return profile;
    }
}
