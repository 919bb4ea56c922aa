package io.marketplacebridge.sandbox;

import java.util.Locale;

/**
 * {@code java -jar marketplace-bridge.jar sandbox [--port 8089] [--lectronz-token T] [--alephee-key K]
 * [--alephee-account A]}: the sandbox on its own, with demo data. {@code sandbox.*} knobs come from -D system
 * properties or SANDBOX_* environment variables (docs/sandbox.md); the demo timer defaults to 5s here.
 */
public final class SandboxServer {

    private SandboxServer() {
    }

    public static void main(String... args) throws Exception {
        int port = 8089;
        String token = SandboxOptions.DEFAULT_LECTRONZ_TOKEN;
        String key = SandboxOptions.DEFAULT_ALEPHEE_API_KEY;
        String account = SandboxOptions.DEFAULT_ALEPHEE_ACCOUNT_ID;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = port(required(args[i], value));
                case "--lectronz-token" -> token = required(args[i], value);
                case "--alephee-key" -> key = required(args[i], value);
                case "--alephee-account" -> account = required(args[i], value);
                default -> {
                    System.err.println("Unknown argument " + args[i] + ". Usage: sandbox [--port 8089] "
                            + "[--lectronz-token T] [--alephee-key K] [--alephee-account A]");
                    System.exit(2);
                }
            }
            i++;
        }
        SandboxOptions options = SandboxOptions.fromSettings(port, token, key, account, SandboxServer::setting);
        if (setting("sandbox.demo-interval") == null) {
            options = options.withDemoInterval(java.time.Duration.ofSeconds(5));
        }
        Sandbox sandbox = Sandbox.start(options);
        System.out.println("""
                marketplace-bridge SANDBOX (fake Lectronz + Alephee APIs, demo data)
                  Lectronz: %s   Authorization: Bearer %s
                  Alephee:  %s   ?API_KEY=%s&accountId=%s
                  %d seeded messages; a new buyer message every %s; order ids >= %d are unknown.
                  Try: curl -H 'Authorization: Bearer %s' '%s/messages?limit=5'
                Ctrl+C stops it.""".formatted(sandbox.lectronzBaseUrl(), options.lectronzToken(),
                sandbox.alepheeBaseUrl(), options.alepheeApiKey(), options.alepheeAccountId(),
                options.seedMessages(), options.demoInterval().isZero() ? "(never)" : options.demoInterval().toMillis() + " ms",
                Sandbox.UNKNOWN_ORDER_FROM, options.lectronzToken(), sandbox.lectronzBaseUrl()));
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        Thread.currentThread().join();
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("--port must be a number from 0 to 65535, got '" + value + "'");
        System.exit(2);
        return -1;
    }

    private static String required(String flag, String value) {
        if (value == null) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return value;
    }

    /** -Dsandbox.latency=20ms or SANDBOX_LATENCY=20ms. */
    private static String setting(String key) {
        String v = System.getProperty(key);
        return v != null ? v : System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
}
