package io.marketplacebridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads {@code BRIDGE_ACCOUNTS_FILE} (SPEC section 3, Accounts):
 * <pre>
 * accounts:
 *   shop-eu:
 *     lectronz: { api-token: "{{env:SHOP_EU_LECTRONZ_TOKEN}}", base-url: "https://...", store-id: "eu" }
 *     alephee:  { api-key: "{{env:SHOP_EU_ALEPHEE_KEY}}", account-id: 77 }
 * </pre>
 * Values may reference environment variables as {@code {{env:NAME}}}. Every problem is reported, each naming the
 * setting, the account and the field, so one start-up attempt shows them all.
 */
final class AccountsFile {

    static final String SETTING = "bridge.accounts-file";
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern ENV_REFERENCE = Pattern.compile("env:([A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> ACCOUNT_KEYS = Set.of("lectronz", "alephee");
    private static final Set<String> LECTRONZ_KEYS = Set.of("api-token", "base-url", "store-id");
    private static final Set<String> ALEPHEE_KEYS = Set.of("api-key", "account-id");

    /** The accounts read, and what is wrong with the file (empty when nothing). */
    record Parsed(List<Accounts.Account> accounts, List<String> problems) {
    }

    private final String location;
    private final Function<String, String> env;
    private final String defaultLectronzBaseUrl;
    private final List<String> problems = new ArrayList<>();

    private AccountsFile(String location, Function<String, String> env, String defaultLectronzBaseUrl) {
        this.location = location;
        this.env = env;
        this.defaultLectronzBaseUrl = defaultLectronzBaseUrl;
    }

    /**
     * @param location               a file path, or {@code classpath:<resource>} (the dev profile's bundled file)
     * @param env                    environment lookup for {@code {{env:NAME}}}
     * @param defaultLectronzBaseUrl the {@code LECTRONZ_BASE_URL} setting, for accounts that give no base-url
     */
    static Parsed read(String location, Function<String, String> env, String defaultLectronzBaseUrl) {
        String text;
        try {
            text = load(location);
        } catch (IOException e) {
            return new Parsed(List.of(), List.of(BridgeSettings.envName(SETTING) + " cannot be read from '" + location
                    + "' (" + e.getMessage() + ")"));
        }
        return parse(location, text, env, defaultLectronzBaseUrl);
    }

    static Parsed parse(String location, String yaml, Function<String, String> env, String defaultLectronzBaseUrl) {
        AccountsFile file = new AccountsFile(location, env, defaultLectronzBaseUrl);
        List<Accounts.Account> accounts = file.accounts(yaml);
        return new Parsed(accounts, List.copyOf(file.problems));
    }

    private static String load(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            try (InputStream in = AccountsFile.class.getClassLoader().getResourceAsStream(resource.replaceFirst("^/", ""))) {
                if (in == null) {
                    throw new IOException("no such resource");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of(location), StandardCharsets.UTF_8);
    }

    private List<Accounts.Account> accounts(String yaml) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(location).build()).loadFromString(yaml);
        } catch (RuntimeException e) {
            fileProblem("is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return List.of();
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("accounts") instanceof Map<?, ?> entries)) {
            fileProblem("must hold a map 'accounts:' of account names");
            return List.of();
        }
        for (Object key : top.keySet()) {
            if (!"accounts".equals(key)) {
                fileProblem("has an unknown top-level key '" + key + "' (only 'accounts')");
            }
        }
        if (entries.isEmpty()) {
            fileProblem("names no account");
        }
        List<Accounts.Account> accounts = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!Accounts.NAME.matcher(name).matches()) {
                fileProblem("account name '" + name + "' must match [a-z0-9-]{1,40}");
                continue;
            }
            Accounts.Account account = account(name, e.getValue());
            if (account != null) {
                accounts.add(account);
            }
        }
        return accounts;
    }

    private Accounts.Account account(String name, Object value) {
        Map<?, ?> parts = map(name, null, value, ACCOUNT_KEYS);
        if (parts == null) {
            return null;
        }
        if (parts.isEmpty()) {
            problem(name, null, "needs a lectronz part, an alephee part or both");
            return null;
        }
        Accounts.Lectronz lectronz = null;
        if (parts.containsKey("lectronz")) {
            Map<?, ?> l = map(name, "lectronz", parts.get("lectronz"), LECTRONZ_KEYS);
            if (l != null) {
                String token = required(name, "lectronz.api-token", l.get("api-token"));
                String baseUrl = optional(name, "lectronz.base-url", l.get("base-url"));
                String storeId = optional(name, "lectronz.store-id", l.get("store-id"));
                if (baseUrl == null) {
                    baseUrl = defaultLectronzBaseUrl;
                } else {
                    String problem = BridgeSettings.urlProblem(baseUrl);
                    if (problem != null) {
                        problem(name, "lectronz.base-url", problem);
                    }
                    baseUrl = BridgeSettings.withoutTrailingSlash(baseUrl);
                }
                if (storeId != null && !Accounts.NAME.matcher(storeId).matches()) {
                    problem(name, "lectronz.store-id", "must match [a-z0-9-]{1,40}, got '" + storeId + "'");
                }
                lectronz = new Accounts.Lectronz(baseUrl, token, storeId);
            }
        }
        Accounts.Alephee alephee = null;
        if (parts.containsKey("alephee")) {
            Map<?, ?> a = map(name, "alephee", parts.get("alephee"), ALEPHEE_KEYS);
            if (a != null) {
                alephee = new Accounts.Alephee(required(name, "alephee.api-key", a.get("api-key")),
                        required(name, "alephee.account-id", a.get("account-id")));
            }
        }
        return new Accounts.Account(name, lectronz, alephee);
    }

    /** A map with only the allowed keys, or null (reported) when the value is no map. */
    private Map<?, ?> map(String account, String field, Object value, Set<String> allowed) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            problem(account, field, "must be a map of " + String.join(", ", allowed.stream().sorted().toList()));
            return null;
        }
        for (Object key : m.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                problem(account, field == null ? String.valueOf(key) : field + "." + key,
                        "is not a known setting (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return m;
    }

    private String required(String account, String field, Object value) {
        int reported = problems.size();
        String v = optional(account, field, value);
        if (v == null && problems.size() == reported) {
            problem(account, field, "is missing");
        }
        return v;
    }

    /** The scalar with its {@code {{env:NAME}}} references resolved; null when absent or blank. */
    private String optional(String account, String field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            problem(account, field, "must be a single value");
            return null;
        }
        Matcher m = REFERENCE.matcher(String.valueOf(value));
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            Matcher envRef = ENV_REFERENCE.matcher(m.group(1).trim());
            String replacement = "";
            if (!envRef.matches()) {
                problem(account, field, "may only reference environment variables as {{env:NAME}}, got '{{"
                        + m.group(1) + "}}'");
            } else {
                String v = env.apply(envRef.group(1));
                if (v == null || v.isBlank()) {
                    problem(account, field, "references the environment variable " + envRef.group(1)
                            + ", which is not set");
                } else {
                    replacement = v.trim();
                }
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(resolved);
        String v = resolved.toString().trim();
        return v.isEmpty() ? null : v;
    }

    private void fileProblem(String what) {
        problems.add(BridgeSettings.envName(SETTING) + " (" + location + ") " + what);
    }

    private void problem(String account, String field, String what) {
        problems.add(BridgeSettings.envName(SETTING) + " (" + location + "): account '" + account + "'"
                + (field == null ? " " : ": " + field + " ") + what);
    }
}
