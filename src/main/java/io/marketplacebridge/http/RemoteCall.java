package io.marketplacebridge.http;

/**
 * The exchange properties a caller of the remote API routes (routes/lectronz-api.yaml, routes/alephee-api.yaml)
 * sets; see also {@link RetryRule#RELEASED} and {@link RetryRule#RETRY_BY_COUNT}.
 */
public final class RemoteCall {

    /** Path below the API's base URL, e.g. {@code /messages} or {@code /orders/900123/messages}. */
    public static final String PATH = "outboundPath";
    /** Alephee: the whole query string, {@code API_KEY=...&accountId=...} of the call's account. */
    public static final String QUERY = "outboundQuery";
    /** Lectronz: the bearer token of the call's account. */
    public static final String LECTRONZ_TOKEN = "lectronzToken";
    /** Lectronz: the base URL of the call's account (accounts may name their own). */
    public static final String LECTRONZ_BASE_URL = "lectronzBaseUrl";
    /** Outbound: the command's account and channel, for the retry metric's labels. */
    public static final String ACCOUNT = "outboundAccount";
    public static final String CHANNEL = "outboundChannel";

    private RemoteCall() {
    }
}
