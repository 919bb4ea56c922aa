package io.marketplacebridge.http;

import org.apache.camel.Exchange;

/**
 * The {@code Authorization} header of a Lectronz call (bean {@code lectronzBearer}): the token the caller set
 * ({@link RemoteCall#LECTRONZ_TOKEN}, one per account), else the default account's ({@code LECTRONZ_API_TOKEN}),
 * as a command without {@code account} means the default account. In Java, so no route text ever holds a token.
 */
public final class LectronzBearer {

    private final String defaultToken;

    public LectronzBearer(String defaultToken) {
        this.defaultToken = defaultToken;
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
