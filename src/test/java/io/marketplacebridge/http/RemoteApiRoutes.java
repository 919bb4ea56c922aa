package io.marketplacebridge.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.marketplacebridge.config.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The remote API routes as the bridge loads them (routes/error-handling.yaml, lectronz-api.yaml, alephee-api.yaml,
 * the beans of {@link RemoteApiBeans}, the settings of the test profile) against a WireMock standing in for both
 * APIs: Lectronz under {@code /lectronz/api/v1}, Alephee under {@code /alephee/v2}.
 */
final class RemoteApiRoutes implements AutoCloseable {

    static final String TOKEN = "tok-SECRET-lectronz-0042";
    static final String API_KEY = "key-SECRET-alephee-0042";

    final WireMockServer remote;
    final CamelContext camel;
    final ProducerTemplate template;
    final BridgeSettings settings;

    private RemoteApiRoutes(WireMockServer remote, CamelContext camel, BridgeSettings settings) {
        this.remote = remote;
        this.camel = camel;
        this.template = camel.createProducerTemplate();
        this.settings = settings;
    }

    /** Starts WireMock and the routes, with these settings on top of the test profile's. */
    static RemoteApiRoutes start(Map<String, String> overrides) throws Exception {
        WireMockServer remote = new WireMockServer(wireMockConfig().dynamicPort());
        remote.start();
        Map<String, String> props = new HashMap<>();
        load(props, "/application.properties");
        load(props, "/application-test.properties");
        props.put("kafka.bootstrap-servers", "localhost:9");
        props.put("lectronz.base-url", "http://localhost:" + remote.port() + "/lectronz/api/v1");
        props.put("lectronz.api-token", TOKEN);
        props.put("alephee.base-url", "http://localhost:" + remote.port() + "/alephee/v2");
        props.put("alephee.api-key", API_KEY);
        props.put("alephee.account-id", "77");
        props.put("bridge.http.retry-delay", "20");
        props.put("bridge.http.max-retry-delay", "200");
        props.putAll(overrides);
        BridgeSettings settings = BridgeSettings.load("test", props::get);
        CamelContext camel = new DefaultCamelContext();
        Properties initial = new Properties();
        initial.putAll(props);
        camel.getPropertiesComponent().setInitialProperties(initial);
        RemoteApiBeans.bind(camel, settings);
        for (String file : new String[] {"error-handling.yaml", "lectronz-api.yaml", "alephee-api.yaml"}) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:routes/" + file));
        }
        camel.start();
        return new RemoteApiRoutes(remote, camel, settings);
    }

    private static void load(Map<String, String> into, String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = RemoteApiRoutes.class.getResourceAsStream(resource)) {
            p.load(in);
        }
        p.forEach((k, v) -> into.put(k.toString(), v.toString()));
    }

    String lectronzBase() {
        return "http://localhost:" + remote.port() + "/lectronz/api/v1";
    }

    @Override
    public void close() {
        camel.stop();
        remote.stop();
    }
}
