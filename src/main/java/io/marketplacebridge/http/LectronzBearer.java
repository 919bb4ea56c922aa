package io.marketplacebridge.http;

import org.apache.camel.Exchange;

/**
 * The {@code Authorization} header and base URL of a Lectronz call (bean {@code lectronzBearer}): the token and
 * base URL the caller set ({@link RemoteCall#LECTRONZ_TOKEN}, {@link RemoteCall#LECTRONZ_BASE_URL}, one per
 * account), else the single-account settings' ({@code LECTRONZ_API_TOKEN}, {@code LECTRONZ_BASE_URL}), as a
 * command without {@code account} means the default account. In Java, so no route text ever holds a token.
 */
public final class LectronzBearer {

    private final String defaultToken;
    private final String defaultBaseUrl;

    public LectronzBearer(String defaultToken, String defaultBaseUrl) {
        this.defaultToken = defaultToken;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    public String baseUrl(Exchange exchange) {
        String url = exchange.getProperty(RemoteCall.LECTRONZ_BASE_URL, String.class);
        return url == null || url.isBlank() ? defaultBaseUrl : url;
    }

    public String header(Exchange exchange) {
        String token = exchange.getProperty(RemoteCall.LECTRONZ_TOKEN, String.class);
        return "Bearer " + (token == null || token.isBlank() ? defaultToken : token);
    }

    @Override
    public String toString() { // never print the token
        return "LectronzBearer";
    }
}
