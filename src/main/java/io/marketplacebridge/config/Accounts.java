package io.marketplacebridge.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The marketplace accounts one deployment serves (SPEC section 3, Accounts), by name: from
 * {@code BRIDGE_ACCOUNTS_FILE}, or the one account {@value #DEFAULT} from the single-account settings.
 * Bound as the bean {@code accounts}; the outbound side looks an account up by the command's {@code account}.
 */
public final class Accounts {

    /** The account of a command without {@code account}, and the only one without an accounts file. */
    public static final String DEFAULT = "default";
    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");

    /**
     * A Lectronz store.
     *
     * @param storeId optional stable name of the store; null: derived from base URL and token (see {@link #storeKey()})
     */
    public record Lectronz(String baseUrl, String apiToken, String storeId) {
        /**
         * What tells this store apart from every other on the same Kafka, without revealing the token: the
         * {@code store-id} when given, else a short hash of base URL and token. Leases, transactional ids and
         * inbound state are derived from it, so a new token (without store-id) counts as a new store.
         */
        public String storeKey() {
            return storeId != null ? storeId : shortHash(baseUrl + "\n" + apiToken);
        }

        @Override
        public String toString() { // never print the token
            return "Lectronz[baseUrl=" + baseUrl + (storeId == null ? "" : ", storeId=" + storeId) + "]";
        }
    }

    /** An Alephee API key and the account id used when a command names none. */
    public record Alephee(String apiKey, String accountId) {
        @Override
        public String toString() { // never print the key
            return "Alephee[accountId=" + accountId + "]";
        }
    }

    /** One account: a Lectronz part, an Alephee part, or both (a missing part is null). */
    public record Account(String name, Lectronz lectronz, Alephee alephee) {
        public boolean hasLectronz() {
            return lectronz != null;
        }

        public boolean hasAlephee() {
            return alephee != null;
        }
    }

    private final Map<String, Account> byName;
    private final boolean fromFile;

    public Accounts(List<Account> accounts, boolean fromFile) {
        Map<String, Account> m = new LinkedHashMap<>();
        accounts.forEach(a -> m.put(a.name(), a));
        this.byName = java.util.Collections.unmodifiableMap(m);
        this.fromFile = fromFile;
    }

    /** The account, if the deployment has one of that name. */
    public Optional<Account> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The account of that name; use {@link #contains} or {@link #find} first for a name from outside. */
    public Account get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("No account '" + name + "'"));
    }

    public boolean contains(String name) {
        return name != null && byName.containsKey(name);
    }

    /** Every account, in the order of the file. */
    public List<Account> all() {
        return List.copyOf(byName.values());
    }

    /** The accounts with a Lectronz part: the stores the inbound half polls. */
    public List<Account> lectronz() {
        return byName.values().stream().filter(Account::hasLectronz).toList();
    }

    /** True when they come from {@code BRIDGE_ACCOUNTS_FILE}. */
    public boolean fromFile() {
        return fromFile;
    }

    @Override
    public String toString() {
        return "Accounts" + byName.values();
    }

    /** The first 10 hex digits of SHA-256: a stable, short name for a value that must not be shown. */
    public static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
