package io.marketplacebridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AccountsFileTest {

    private static final String DEFAULT_URL = "https://lectronz.com/api/v1";

    private static AccountsFile.Parsed parse(String yaml, Map<String, String> env) {
        return AccountsFile.parse("accounts.yaml", yaml, env::get, DEFAULT_URL);
    }

    @Test
    void givenTheSpecExampleWhenParsedThenEnvReferencesAreResolvedAndBaseUrlDefaults() {
        AccountsFile.Parsed parsed = parse("""
                accounts:
                  shop-eu:
                    lectronz: { api-token: "{{env:SHOP_EU_LECTRONZ_TOKEN}}" }
                    alephee:  { api-key: "{{env:SHOP_EU_ALEPHEE_KEY}}", account-id: 77 }
                  shop-mx:
                    lectronz: { api-token: "{{env:SHOP_MX_LECTRONZ_TOKEN}}", base-url: "https://mx.lectronz.test/api/v1/" }
                """, Map.of("SHOP_EU_LECTRONZ_TOKEN", "eu-token", "SHOP_EU_ALEPHEE_KEY", "eu-key",
                "SHOP_MX_LECTRONZ_TOKEN", "mx-token"));

        assertEquals(List.of(), parsed.problems());
        Accounts accounts = new Accounts(parsed.accounts(), true);
        Accounts.Account eu = accounts.get("shop-eu");
        assertEquals("eu-token", eu.lectronz().apiToken());
        assertEquals(DEFAULT_URL, eu.lectronz().baseUrl());
        assertEquals("eu-key", eu.alephee().apiKey());
        assertEquals("77", eu.alephee().accountId());
        Accounts.Account mx = accounts.get("shop-mx");
        assertEquals("https://mx.lectronz.test/api/v1", mx.lectronz().baseUrl());
        assertNull(mx.alephee());
        assertEquals(List.of("shop-eu", "shop-mx"), accounts.lectronz().stream().map(Accounts.Account::name).toList());
        assertFalse(accounts.contains("default"));
    }

    @Test
    void givenAReferenceInsideAValueWhenParsedThenOnlyTheReferenceIsReplaced() {
        AccountsFile.Parsed parsed = parse("""
                accounts:
                  a:
                    lectronz: { api-token: "tok-{{env:SUFFIX}}", base-url: "https://{{env:HOST}}/api/v1" }
                """, Map.of("SUFFIX", "42", "HOST", "lectronz.test"));

        assertEquals(List.of(), parsed.problems());
        assertEquals("tok-42", parsed.accounts().get(0).lectronz().apiToken());
        assertEquals("https://lectronz.test/api/v1", parsed.accounts().get(0).lectronz().baseUrl());
    }

    @Test
    void givenAnUnsetVariableWhenParsedThenTheProblemNamesTheSettingAccountFieldAndVariable() {
        AccountsFile.Parsed parsed = parse("""
                accounts:
                  shop-eu:
                    lectronz: { api-token: "{{env:SHOP_EU_LECTRONZ_TOKEN}}" }
                """, Map.of());

        assertEquals(List.of("BRIDGE_ACCOUNTS_FILE (accounts.yaml): account 'shop-eu': lectronz.api-token references "
                + "the environment variable SHOP_EU_LECTRONZ_TOKEN, which is not set"), parsed.problems());
    }

    @Test
    void givenEveryKindOfMistakeWhenParsedThenEachIsReportedOnce() {
        AccountsFile.Parsed parsed = parse("""
                accounts:
                  Shop_EU:
                    lectronz: { api-token: t }
                  no-token:
                    lectronz: { base-url: "ftp://x" }
                  half-alephee:
                    alephee: { api-key: k }
                  typo:
                    lectronz: { api_token: t }
                  empty: {}
                  other-ref:
                    lectronz: { api-token: "{{sys:user.home}}" }
                """, Map.of());

        List<String> p = parsed.problems();
        assertTrue(p.contains("BRIDGE_ACCOUNTS_FILE (accounts.yaml) account name 'Shop_EU' must match [a-z0-9-]{1,40}"), p.toString());
        assertTrue(p.contains("BRIDGE_ACCOUNTS_FILE (accounts.yaml): account 'no-token': lectronz.api-token is missing"), p.toString());
        assertTrue(p.contains("BRIDGE_ACCOUNTS_FILE (accounts.yaml): account 'no-token': lectronz.base-url must be an http(s) URL, got 'ftp://x'"), p.toString());
        assertTrue(p.contains("BRIDGE_ACCOUNTS_FILE (accounts.yaml): account 'half-alephee': alephee.account-id is missing"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("BRIDGE_ACCOUNTS_FILE (accounts.yaml): account 'typo': lectronz.api_token is not a known setting")), p.toString());
        assertTrue(p.contains("BRIDGE_ACCOUNTS_FILE (accounts.yaml): account 'empty' needs a lectronz part, an alephee part or both"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("account 'other-ref': lectronz.api-token may only reference environment variables")), p.toString());
        assertEquals(8, p.size(), p.toString()); // typo: the unknown key, and the api-token it lacks
    }

    @Test
    void givenNoAccountsMapWhenParsedThenTheFileIsNamed() {
        assertEquals(List.of("BRIDGE_ACCOUNTS_FILE (accounts.yaml) must hold a map 'accounts:' of account names"),
                parse("shops: {}", Map.of()).problems());
        assertTrue(parse("accounts: [", Map.of()).problems().get(0).startsWith("BRIDGE_ACCOUNTS_FILE (accounts.yaml) is not valid YAML"));
    }

    @Test
    void givenAMissingFileWhenReadThenTheSettingIsNamed() {
        AccountsFile.Parsed parsed = AccountsFile.read("/no/such/accounts.yaml", name -> null, DEFAULT_URL);
        assertTrue(parsed.problems().get(0).startsWith("BRIDGE_ACCOUNTS_FILE cannot be read from '/no/such/accounts.yaml'"),
                parsed.problems().toString());
    }

    @Test
    void storeKeyTellsStoresApartWithoutTheTokenAndStoreIdPinsIt() {
        Accounts.Lectronz one = new Accounts.Lectronz(DEFAULT_URL, "token-one", null);
        Accounts.Lectronz two = new Accounts.Lectronz(DEFAULT_URL, "token-two", null);
        assertNotEquals(one.storeKey(), two.storeKey());
        assertFalse(one.storeKey().contains("token"));
        assertEquals(10, one.storeKey().length());
        assertEquals("eu", new Accounts.Lectronz(DEFAULT_URL, "rotated", "eu").storeKey());
        assertFalse(one.toString().contains("token-one"));
        assertFalse(new Accounts.Alephee("secret-key", "77").toString().contains("secret-key"));
    }

    @Test
    void theBundledDevAccountsFileIsValid() {
        AccountsFile.Parsed parsed = AccountsFile.read("classpath:dev-accounts.yaml", name -> null, "http://localhost:1/x");
        assertEquals(List.of(), parsed.problems());
        assertEquals(List.of("default", "shop-mx"), parsed.accounts().stream().map(Accounts.Account::name).toList());
    }
}
