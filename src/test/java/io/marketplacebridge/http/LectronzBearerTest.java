package io.marketplacebridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LectronzBearerTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private final LectronzBearer bearer = new LectronzBearer("default-account-token", "https://lectronz.test/api/v1");

    @AfterAll
    static void close() {
        CAMEL.stop();
    }

    @Test
    void givenTheCallersTokenThenItIsSent() {
        Exchange ex = new DefaultExchange(CAMEL);
        ex.setProperty(RemoteCall.LECTRONZ_TOKEN, "shop-eu-token");
        assertEquals("Bearer shop-eu-token", bearer.header(ex));
    }

    @Test
    void givenNoTokenThenTheDefaultAccountsIsSent() {
        Exchange ex = new DefaultExchange(CAMEL);
        assertEquals("Bearer default-account-token", bearer.header(ex));
        ex.setProperty(RemoteCall.LECTRONZ_TOKEN, " ");
        assertEquals("Bearer default-account-token", bearer.header(ex));
        assertFalse(bearer.toString().contains("default-account-token"));
    }

    @Test
    void givenTheCallersBaseUrlThenItIsUsedElseTheDefault() {
        Exchange ex = new DefaultExchange(CAMEL);
        assertEquals("https://lectronz.test/api/v1", bearer.baseUrl(ex));
        ex.setProperty(RemoteCall.LECTRONZ_BASE_URL, "https://eu.lectronz.test/api/v1");
        assertEquals("https://eu.lectronz.test/api/v1", bearer.baseUrl(ex));
    }
}
