package io.marketplacebridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

    /** application.properties as shipped, plus overrides: what a user gets with nothing set. */
    private static Map<String, String> shipped(Map<String, String> overrides) throws Exception {
        Properties p = new Properties();
        try (InputStream in = BridgeSettingsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        m.putAll(overrides);
        return m;
    }

    @Test
    void prodWithNothingSetNamesEveryMissingSetting() throws Exception {
        Map<String, String> props = shipped(Map.of());
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> BridgeSettings.load("prod", props::get));
        assertEquals(List.of("KAFKA_BOOTSTRAP_SERVERS", "LECTRONZ_API_TOKEN", "ALEPHEE_API_KEY", "ALEPHEE_ACCOUNT_ID"),
                e.missing());
        assertTrue(e.getMessage().contains("KAFKA_BOOTSTRAP_SERVERS"), e.getMessage());
    }

    @Test
    void alepheeCredentialsAreOnlyRequiredWhenOutboundIsOn() throws Exception {
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092",
                "lectronz.api-token", "t", "bridge.outbound.enabled", "false"));
        BridgeSettings s = BridgeSettings.load("prod", props::get);
        assertEquals("https://lectronz.com/api/v1", s.lectronz().baseUrl());
        assertEquals(Duration.ofSeconds(30), s.lectronz().pollInterval());
        assertEquals(Duration.ofMinutes(15), s.lectronz().reconcileInterval());
        assertEquals(50, s.lectronz().pageSize());
    }

    @Test
    void malformedValuesAreNamedWithWhatWasWrong() throws Exception {
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092", "lectronz.api-token", "t",
                "alephee.api-key", "k", "alephee.account-id", "1", "lectronz.poll-interval", "soon",
                "alephee.body-format", "xml", "bridge.outbound.concurrency", "0", "lectronz.base-url", "ftp://x"));
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> BridgeSettings.load("prod", props::get));
        String m = e.getMessage();
        assertTrue(m.contains("LECTRONZ_POLL_INTERVAL") && m.contains("'soon'"), m);
        assertTrue(m.contains("ALEPHEE_BODY_FORMAT must be one of json, multipart"), m);
        assertTrue(m.contains("BRIDGE_OUTBOUND_CONCURRENCY must be between 1"), m);
        assertTrue(m.contains("LECTRONZ_BASE_URL must be an http(s) URL"), m);
        assertEquals(4, e.invalid().size());
    }

    @Test
    void logFormatIsTextByDefaultJsonOnRequestAndAnythingElseIsNamed() throws Exception {
        Map<String, String> base = Map.of("kafka.bootstrap-servers", "k:9092", "lectronz.api-token", "t",
                "bridge.outbound.enabled", "false");
        assertEquals(BridgeSettings.LogFormat.TEXT, BridgeSettings.load("prod", shipped(base)::get).logFormat());
        Map<String, String> json = new HashMap<>(base);
        json.put("bridge.log-format", "json");
        assertEquals(BridgeSettings.LogFormat.JSON, BridgeSettings.load("prod", shipped(json)::get).logFormat());

        Map<String, String> upperCase = new HashMap<>(base);
        upperCase.put("bridge.log-format", "JSON");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> BridgeSettings.load("prod", shipped(upperCase)::get));
        assertTrue(e.getMessage().contains("BRIDGE_LOG_FORMAT must be text or json, got 'JSON'"), e.getMessage());
    }

    @Test
    void secretsNeverAppearInToString() throws Exception {
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092",
                "lectronz.api-token", "very-secret-token", "alephee.api-key", "very-secret-key", "alephee.account-id", "1"));
        String text = BridgeSettings.load("prod", props::get).toString();
        assertTrue(!text.contains("very-secret"), text);
    }

    @Test
    void plainHttpBaseUrlsAreRefusedOutsideTheDevProfileUnlessAllowed() throws Exception {
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092", "lectronz.api-token", "t",
                "alephee.api-key", "k", "alephee.account-id", "1",
                "lectronz.base-url", "http://lectronz.internal/api/v1", "alephee.base-url", "http://alephee.internal/v2?key=s3cret"));
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> BridgeSettings.load("prod", props::get));
        assertTrue(e.getMessage().contains("LECTRONZ_BASE_URL must be an https:// URL outside the dev profile"), e.getMessage());
        assertTrue(e.getMessage().contains("ALEPHEE_BASE_URL must be an https:// URL outside the dev profile"), e.getMessage());
        assertTrue(e.getMessage().contains("BRIDGE_ALLOW_HTTP=true"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertEquals(2, e.invalid().size());

        Map<String, String> allowed = new HashMap<>(props);
        allowed.put("bridge.allow-http", "true");
        BridgeSettings s = BridgeSettings.load("prod", allowed::get);
        assertTrue(s.allowHttp());
        assertEquals("http://lectronz.internal/api/v1", s.lectronz().baseUrl());
        assertEquals("http://alephee.internal/v2?key=s3cret", BridgeSettings.load("dev", props::get).alephee().baseUrl(),
                "the dev profile talks to its sandbox over http");
    }

    @Test
    void retryBudgetAndAttachmentTimeoutDefaults() throws Exception {
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092", "lectronz.api-token", "t",
                "alephee.api-key", "k", "alephee.account-id", "1"));
        BridgeSettings s = BridgeSettings.load("prod", props::get);
        assertEquals(Duration.ofMinutes(15), s.outboundRetryTimeout());
        assertEquals(Duration.ofSeconds(60), s.attachmentTimeout());
        assertEquals(5, s.httpMaxRetries());
        assertEquals(Duration.ofMillis(500), s.httpRetryDelay());
        assertEquals(Duration.ofSeconds(30), s.httpMaxRetryDelay());
        assertTrue(!s.allowHttp());

        Map<String, String> bad = new HashMap<>(props);
        bad.put("bridge.outbound.retry-timeout", "forever");
        bad.put("bridge.attachment.timeout", "0s");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> BridgeSettings.load("prod", bad::get));
        assertTrue(e.getMessage().contains("BRIDGE_OUTBOUND_RETRY_TIMEOUT"), e.getMessage());
        assertTrue(e.getMessage().contains("BRIDGE_ATTACHMENT_TIMEOUT"), e.getMessage());
    }

    @Test
    void withoutAnAccountsFileTheSingleSettingsAreTheAccountDefault() throws Exception {
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092", "lectronz.api-token", "t",
                "alephee.api-key", "k", "alephee.account-id", "77"));
        BridgeSettings s = BridgeSettings.load("prod", props::get);
        assertEquals(List.of("default"), s.accounts().all().stream().map(Accounts.Account::name).toList());
        Accounts.Account account = s.accounts().get(Accounts.DEFAULT);
        assertEquals("t", account.lectronz().apiToken());
        assertEquals("https://lectronz.com/api/v1", account.lectronz().baseUrl());
        assertEquals("k", account.alephee().apiKey());
        assertEquals("77", account.alephee().accountId());
        assertEquals(Duration.ofDays(7), s.outboundDedupRetention());
    }

    @Test
    void withAnAccountsFileTheSingleCredentialsAreNotRequiredAndEachAccountIsChecked(@org.junit.jupiter.api.io.TempDir
                                                                                     java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("accounts.yaml");
        java.nio.file.Files.writeString(file, """
                accounts:
                  shop-eu:
                    lectronz: { api-token: "{{env:EU_TOKEN}}" }
                  shop-mx:
                    alephee: { api-key: "{{env:MX_KEY}}" }
                """);
        Map<String, String> props = shipped(Map.of("kafka.bootstrap-servers", "k:9092",
                "bridge.accounts-file", file.toString()));
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> BridgeSettings.load("prod", props::get, Map.of("EU_TOKEN", "eu")::get));
        assertEquals(List.of(), e.missing());
        assertEquals(2, e.invalid().size(), e.getMessage());
        assertTrue(e.getMessage().contains("BRIDGE_ACCOUNTS_FILE (" + file + "): account 'shop-mx': alephee.api-key "
                + "references the environment variable MX_KEY, which is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("account 'shop-mx': alephee.account-id is missing"), e.getMessage());

        java.nio.file.Files.writeString(file, """
                accounts:
                  shop-eu:
                    lectronz: { api-token: "{{env:EU_TOKEN}}" }
                  shop-mx:
                    alephee: { api-key: "{{env:MX_KEY}}", account-id: 88 }
                """);
        BridgeSettings s = BridgeSettings.load("prod", props::get, Map.of("EU_TOKEN", "eu", "MX_KEY", "mx")::get);
        assertTrue(s.accounts().fromFile());
        assertEquals("eu", s.accounts().get("shop-eu").lectronz().apiToken());
        assertEquals("88", s.accounts().get("shop-mx").alephee().accountId());
        assertFalse(s.accounts().contains(Accounts.DEFAULT));
    }

    @Test
    void envNamesFollowCamelsMapping() {
        assertEquals("LECTRONZ_API_TOKEN", BridgeSettings.envName("lectronz.api-token"));
        assertEquals("BRIDGE_ATTACHMENT_MAX_BYTES", BridgeSettings.envName("bridge.attachment.max-bytes"));
    }
}
