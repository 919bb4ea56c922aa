package io.marketplacebridge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.config.InvalidSettingsException;
import io.marketplacebridge.kafka.EmbeddedKafkaBroker;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev profile's stand-ins: an embedded Kafka broker when {@code kafka.bootstrap-servers=embedded},
 * the sandbox when a base URL is {@code sandbox}. Their real addresses become property overrides, and
 * they stop after Camel has stopped its routes.
 */
final class DevEnvironment extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DevEnvironment.class);

    private static final long SANDBOX_ID_EPOCH_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private EmbeddedKafkaBroker broker;
    private Sandbox sandbox;

    /** Starts what the settings ask for and returns the settings with real addresses. */
    BridgeSettings start(CamelContext context, BridgeSettings settings) {
        PropertiesComponent pc = context.getPropertiesComponent();
        boolean wantsBroker = BridgeSettings.EMBEDDED.equals(settings.kafkaBootstrapServers());
        boolean wantsSandbox = BridgeSettings.SANDBOX.equals(settings.lectronz().baseUrl())
                || BridgeSettings.SANDBOX.equals(settings.alephee().baseUrl());
        if (!settings.devProfile() && (wantsBroker || wantsSandbox)) {
            List<String> bad = new ArrayList<>();
            if (wantsBroker) {
                bad.add("KAFKA_BOOTSTRAP_SERVERS=embedded is only available in the dev profile");
            }
            if (wantsSandbox) {
                bad.add("LECTRONZ_BASE_URL / ALEPHEE_BASE_URL=sandbox is only available in the dev profile");
            }
            throw new InvalidSettingsException("Cannot start marketplace-bridge (profile " + settings.profile() + "):\n  "
                    + String.join("\n  ", bad), List.of(), bad);
        }
        if (wantsBroker) {
            broker = new EmbeddedKafkaBroker(settings.kafkaPort(), settings.kafkaDataDir()).start();
            pc.addOverrideProperty("kafka.bootstrap-servers", broker.bootstrapServers());
        }
        if (wantsSandbox) {
            SandboxOptions options = SandboxOptions.fromSettings(settings.sandboxPort(),
                    settings.lectronz().apiToken(), settings.alephee().apiKey(), settings.alephee().accountId(),
                    key -> pc.resolveProperty(key).orElse(null));
            if (pc.resolveProperty("sandbox.first-message-id").isEmpty()) {
                options = options.withFirstMessageId(firstMessageIdFromClock(System.currentTimeMillis()));
            }
            sandbox = Sandbox.start(options);
            serveEveryAccount(settings, options);
            if (BridgeSettings.SANDBOX.equals(settings.lectronz().baseUrl())) {
                pc.addOverrideProperty("lectronz.base-url", sandbox.lectronzBaseUrl());
            }
            if (BridgeSettings.SANDBOX.equals(settings.alephee().baseUrl())) {
                pc.addOverrideProperty("alephee.base-url", sandbox.alepheeBaseUrl());
            }
        }
        return BridgeSettings.load(settings.profile(), key -> pc.resolveProperty(key).orElse(null));
    }

    /** One sandbox store per further Lectronz token on the sandbox, one more Alephee key per further key. */
    private void serveEveryAccount(BridgeSettings settings, SandboxOptions options) {
        Set<String> tokens = new HashSet<>(Set.of(options.lectronzToken()));
        for (Accounts.Account account : settings.accounts().all()) {
            if (account.hasLectronz() && BridgeSettings.SANDBOX.equals(account.lectronz().baseUrl())
                    && tokens.add(account.lectronz().apiToken())) {
                sandbox.addLectronzStore(account.lectronz().apiToken());
            }
            if (account.hasAlephee() && BridgeSettings.SANDBOX.equals(settings.alephee().baseUrl())) {
                sandbox.addAlepheeKey(account.alephee().apiKey(), account.alephee().accountId());
            }
        }
    }

    /**
     * The sandbox forgets its messages on every run while the embedded broker keeps {@code ./data}. Numbering a
     * run's messages from the clock (tenths of a second since 2026) keeps them apart from the last run's, so a
     * second run publishes its messages as {@code created} instead of as {@code updated} versions of old ids.
     * A run uses far fewer ids than it lasts tenths of a second; the numbers stay within int range until 2032.
     */
    static long firstMessageIdFromClock(long epochMillis) {
        return Math.max(1, (epochMillis - SANDBOX_ID_EPOCH_MILLIS) / 100);
    }

    Sandbox sandbox() {
        return sandbox;
    }

    EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    protected void doStop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
