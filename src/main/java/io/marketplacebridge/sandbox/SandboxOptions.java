package io.marketplacebridge.sandbox;

import java.time.Duration;
import java.util.function.Function;

/**
 * How the sandbox behaves. Built from {@code sandbox.*} settings (env SANDBOX_*) plus the credentials
 * it accepts. STUB: the sandbox issue completes this.
 */
public record SandboxOptions(int port, String lectronzToken, String alepheeApiKey, String alepheeAccountId,
                             int seedMessages, Duration demoInterval, Duration latency) {

    public static SandboxOptions defaults(int port) {
        return new SandboxOptions(port, "sandbox-lectronz-token", "sandbox-alephee-key", "77", 25,
                Duration.ZERO, Duration.ZERO);
    }

    /** Reads {@code sandbox.*} keys through the lookup (null when unset). */
    public static SandboxOptions fromSettings(int port, String lectronzToken, String alepheeApiKey,
                                              String alepheeAccountId, Function<String, String> lookup) {
        SandboxOptions d = defaults(port);
        return new SandboxOptions(port, lectronzToken, alepheeApiKey, alepheeAccountId, d.seedMessages(),
                d.demoInterval(), d.latency());
    }
}
