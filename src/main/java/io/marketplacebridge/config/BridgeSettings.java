package io.marketplacebridge.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.camel.util.TimeUtils;

/**
 * Every setting of the bridge, read once at start-up, typed and validated. A bad or missing
 * setting stops start-up with one message naming every offending setting by its env name.
 */
public record BridgeSettings(
        String profile,
        String kafkaBootstrapServers,
        int topicPartitions,
        Optional<Short> topicReplicationFactor,
        Topics topics,
        Lectronz lectronz,
        Alephee alephee,
        boolean inboundEnabled,
        boolean outboundEnabled,
        int outboundConcurrency,
        int maxCommandBytes,
        Optional<Path> attachmentDir,
        Set<String> attachmentHosts,
        long attachmentMaxBytes,
        Duration httpConnectTimeout,
        Duration httpResponseTimeout,
        int httpPort,
        int kafkaPort,
        Path kafkaDataDir,
        int sandboxPort,
        Duration outboundRetryTimeout,
        Duration attachmentTimeout,
        boolean allowHttp,
        int httpMaxRetries,
        Duration httpRetryDelay,
        Duration httpMaxRetryDelay,
        LogFormat logFormat,

        Duration outboundDedupRetention,
        Accounts accounts) {

    /** Value of {@code kafka.bootstrap-servers} (dev) asking for the in-process broker. */
    public static final String EMBEDDED = "embedded";
    /** Value of a base URL (dev) asking for the built-in sandbox. */
    public static final String SANDBOX = "sandbox";

    public record Topics(String customerMessages, String sellerMessages, String refundMessages,
                         String outbound, String results, String dlq, String state) {
        /** The inbound topic for a Lectronz message {@code type}, or null for an unknown type. */
        public String forMessageType(String type) {
            return switch (type == null ? "" : type) {
                case "customer_order_message" -> customerMessages;
                case "seller_order_message" -> sellerMessages;
                case "refund_order_message" -> refundMessages;
                default -> null;
            };
        }

        public List<String> all() {
            return List.of(customerMessages, sellerMessages, refundMessages, outbound, results, dlq, state);
        }
    }

    public record Lectronz(String baseUrl, String apiToken, Duration pollInterval, int pageSize,
                           Duration reconcileInterval, int concurrency, boolean markAsRead) {
        @Override
        public String toString() { // never print the token
            return "Lectronz[baseUrl=" + baseUrl + ", pollInterval=" + pollInterval + ", pageSize=" + pageSize
                    + ", reconcileInterval=" + reconcileInterval + ", concurrency=" + concurrency
                    + ", markAsRead=" + markAsRead + "]";
        }
    }

    public enum BodyFormat { JSON, MULTIPART }

    /** BRIDGE_LOG_FORMAT; log4j2.properties selects the appender of the same name from the same setting. */
    public enum LogFormat { TEXT, JSON }

    public record Alephee(String baseUrl, String apiKey, String accountId, BodyFormat bodyFormat) {
        @Override
        public String toString() { // never print the key
            return "Alephee[baseUrl=" + baseUrl + ", accountId=" + accountId + ", bodyFormat=" + bodyFormat + "]";
        }
    }

    public boolean devProfile() {
        return "dev".equals(profile);
    }

    /**
     * What is wrong with a remote API base URL, or null: it must be an http(s) URL with a host, and https unless
     * plain http is allowed (the dev profile, or {@code BRIDGE_ALLOW_HTTP=true}: a test double, a gateway on a
     * trusted network). For every base URL, the single-account settings' and each account's.
     *
     * @param name the setting as the user knows it, e.g. {@code LECTRONZ_BASE_URL}
     */
    public static String baseUrlProblem(String name, String url, boolean httpAllowed) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return name + " must be an http(s) URL, got '" + url + "'";
            }
            if ("http".equals(uri.getScheme()) && !httpAllowed) {
                // host and port only: a gateway URL may carry a key in its query or user info
                return name + " must be an https:// URL outside the dev profile, got 'http://" + uri.getHost()
                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/...' (set BRIDGE_ALLOW_HTTP=true only for"
                        + " a test double or a gateway on a trusted network)";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return name + " must be an http(s) URL, got '" + url + "'";
        }
    }

    /** Environment variable name for a property key, Camel's mapping. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Reads and validates all settings.
     *
     * @param profile the Camel Main profile (dev, prod, test)
     * @param lookup  resolves a property key to its value (env and system properties already applied); null when absent
     * @throws InvalidSettingsException naming every missing or malformed setting
     */
    public static BridgeSettings load(String profile, Function<String, String> lookup) {
        return load(profile, lookup, System::getenv);
    }

    /** As {@link #load(String, Function)}, with the environment that {@code {{env:NAME}}} in the accounts file reads. */
    public static BridgeSettings load(String profile, Function<String, String> lookup, Function<String, String> env) {
        Reader r = new Reader(lookup);
        // plain http only for the dev sandbox, a test double, or a gateway on a trusted network
        r.httpAllowed = "dev".equals(profile) || r.bool("bridge.allow-http");
        boolean inbound = r.bool("bridge.inbound.enabled");
        boolean outbound = r.bool("bridge.outbound.enabled");
        // with an accounts file the single-account credentials are optional: the file's accounts are checked instead
        String accountsFile = r.optional(AccountsFile.SETTING);
        boolean single = accountsFile == null;

        String bootstrap = r.required("kafka.bootstrap-servers", true);
        Topics topics = new Topics(
                r.text("bridge.topic.customer-messages"), r.text("bridge.topic.seller-messages"),
                r.text("bridge.topic.refund-messages"), r.text("bridge.topic.outbound"),
                r.text("bridge.topic.results"), r.text("bridge.topic.dlq"), r.text("bridge.topic.state"));
        Lectronz lectronz = new Lectronz(
                r.url("lectronz.base-url"),
                r.required("lectronz.api-token", single && (inbound || outbound)),
                r.duration("lectronz.poll-interval"),
                r.integer("lectronz.page-size", 1, 1000),
                r.duration("lectronz.reconcile-interval"),
                r.integer("lectronz.concurrency", 1, 64),
                r.bool("lectronz.mark-as-read"));
        Alephee alephee = new Alephee(
                r.url("alephee.base-url"),
                r.required("alephee.api-key", single && outbound),
                r.required("alephee.account-id", single && outbound),
                r.choice("alephee.body-format", BodyFormat.class));
        String dir = r.optional("bridge.attachment.dir");
        Set<String> hosts = new LinkedHashSet<>();
        String hostList = r.optional("bridge.attachment.hosts");
        if (hostList != null) {
            Arrays.stream(hostList.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(s -> s.toLowerCase(Locale.ROOT)).forEach(hosts::add);
        }
        String replication = r.optional("kafka.topic.replication-factor");
        Optional<Short> replicationFactor = replication == null ? Optional.empty()
                : Optional.of((short) r.integer("kafka.topic.replication-factor", 1, 32));

        BridgeSettings settings = new BridgeSettings(
                profile, bootstrap,
                r.integer("kafka.topic.partitions", 1, 10_000), replicationFactor,
                topics, lectronz, alephee, inbound, outbound,
                r.integer("bridge.outbound.concurrency", 1, 1024),
                r.integer("bridge.outbound.max-command-bytes", 1024, 100 * 1024 * 1024),
                Optional.ofNullable(dir).map(Path::of),
                Set.copyOf(hosts),
                r.longInteger("bridge.attachment.max-bytes", 1, Long.MAX_VALUE),
                r.duration("bridge.http.connect-timeout"),
                r.duration("bridge.http.response-timeout"),
                r.integer("bridge.http-port", 0, 65535),
                r.integer("bridge.kafka-port", 0, 65535),
                Path.of(r.text("bridge.kafka-data-dir")),
                r.integer("bridge.sandbox-port", 0, 65535),
                r.duration("bridge.outbound.retry-timeout"),
                r.duration("bridge.attachment.timeout"),
                r.httpAllowed,
                r.integer("bridge.http.max-retries", 0, 100),
                r.duration("bridge.http.retry-delay"),
                r.duration("bridge.http.max-retry-delay"),
                r.logFormat("bridge.log-format"),

                r.duration("bridge.outbound.dedup-retention"),
                single ? singleAccount(lectronz, alephee) : r.accounts(accountsFile, env, lectronz.baseUrl()));
        r.throwIfInvalid(profile);
        return settings;
    }

    /** The account {@value Accounts#DEFAULT} from the single-account settings: each part when its credentials are set. */
    private static Accounts singleAccount(Lectronz lectronz, Alephee alephee) {
        Accounts.Lectronz l = lectronz.apiToken() == null ? null
                : new Accounts.Lectronz(lectronz.baseUrl(), lectronz.apiToken(), null);
        Accounts.Alephee a = alephee.apiKey() == null || alephee.accountId() == null ? null
                : new Accounts.Alephee(alephee.apiKey(), alephee.accountId());
        return new Accounts(List.of(new Accounts.Account(Accounts.DEFAULT, l, a)), false);
    }

    /** Why the value is no usable base URL ({@code sandbox} aside), or null when it is one. */
    static String urlProblem(String v) {
        try {
            URI uri = URI.create(v);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "must be an http(s) URL, got '" + v + "'";
        }
    }

    static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Collects every problem instead of stopping at the first one. */
    private static final class Reader {
        private final Function<String, String> lookup;
        private final List<String> missing = new ArrayList<>();
        private final List<String> invalid = new ArrayList<>();
        private boolean httpAllowed;

        Reader(Function<String, String> lookup) {
            this.lookup = lookup;
        }

        String optional(String key) {
            String v = lookup.apply(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String required(String key, boolean needed) {
            String v = optional(key);
            if (v == null && needed) {
                missing.add(envName(key));
            }
            return v;
        }

        String text(String key) {
            String v = optional(key);
            if (v == null) {
                invalid.add(envName(key) + " must not be empty");
                return "";
            }
            return v;
        }

        String url(String key) {
            String v = text(key);
            if (v.isEmpty() || SANDBOX.equals(v)) {
                return v;
            }
            String problem = baseUrlProblem(envName(key), v, httpAllowed);
            if (problem != null) {
                invalid.add(problem);
            }
            return withoutTrailingSlash(v);
        }

        Accounts accounts(String location, Function<String, String> env, String defaultLectronzBaseUrl) {
            AccountsFile.Parsed parsed = AccountsFile.read(location, env, defaultLectronzBaseUrl);
            invalid.addAll(parsed.problems());
            for (Accounts.Account account : parsed.accounts()) { // https only, as for LECTRONZ_BASE_URL
                String url = account.lectronz() == null ? null : account.lectronz().baseUrl();
                String problem = url == null || url.equals(defaultLectronzBaseUrl) || SANDBOX.equals(url) ? null
                        : baseUrlProblem(envName(AccountsFile.SETTING) + ": account '" + account.name() + "': lectronz.base-url", url, httpAllowed);
                if (problem != null) {
                    invalid.add(problem);
                }
            }
            return new Accounts(parsed.accounts(), true);
        }

        boolean bool(String key) {
            String v = text(key);
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            if (!v.isEmpty()) {
                invalid.add(envName(key) + " must be true or false, got '" + v + "'");
            }
            return false;
        }

        int integer(String key, int min, int max) {
            return (int) longInteger(key, min, max);
        }

        long longInteger(String key, long min, long max) {
            String v = text(key);
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    invalid.add(envName(key) + " must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                if (!v.isEmpty()) {
                    invalid.add(envName(key) + " must be a whole number, got '" + v + "'");
                }
                return min;
            }
        }

        Duration duration(String key) {
            String v = text(key);
            try {
                long ms = TimeUtils.toMilliSeconds(v);
                if (ms <= 0) {
                    throw new IllegalArgumentException();
                }
                return Duration.ofMillis(ms);
            } catch (RuntimeException e) {
                if (!v.isEmpty()) {
                    invalid.add(envName(key) + " must be a positive duration such as 500ms, 30s, 15m or 1h, got '" + v + "'");
                }
                return Duration.ofSeconds(1);
            }
        }

        <E extends Enum<E>> E choice(String key, Class<E> type) {
            String v = text(key);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
            invalid.add(envName(key) + " must be one of " + String.join(", ", names) + ", got '" + v + "'");
            return type.getEnumConstants()[0];
        }

        /** Exactly {@code text} or {@code json}: log4j2.properties matches the value as written. */
        LogFormat logFormat(String key) {
            String v = text(key);
            if (v.equals("json")) {
                return LogFormat.JSON;
            }
            if (!v.isEmpty() && !v.equals("text")) {
                invalid.add(envName(key) + " must be text or json, got '" + v + "'");
            }
            return LogFormat.TEXT;
        }

        void throwIfInvalid(String profile) {
            if (missing.isEmpty() && invalid.isEmpty()) {
                return;
            }
            StringBuilder sb = new StringBuilder("Cannot start marketplace-bridge (profile ").append(profile).append("):");
            if (!missing.isEmpty()) {
                sb.append("\n  missing required settings: ").append(String.join(", ", missing));
            }
            invalid.forEach(i -> sb.append("\n  invalid setting: ").append(i));
            throw new InvalidSettingsException(sb.toString(), missing, invalid);
        }
    }
}
