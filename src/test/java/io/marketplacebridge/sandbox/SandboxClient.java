package io.marketplacebridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain java.net.http calls against a started sandbox, for its tests. */
final class SandboxClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Sandbox sandbox;

    SandboxClient(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    HttpResponse<String> lectronz(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.lectronzBaseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build());
    }

    HttpResponse<String> get(String path) {
        return lectronz("GET", path, SandboxOptions.DEFAULT_LECTRONZ_TOKEN, null);
    }

    HttpResponse<String> post(String path, String jsonBody) {
        return lectronz("POST", path, SandboxOptions.DEFAULT_LECTRONZ_TOKEN, jsonBody);
    }

    String alepheeUrl(Object orderId) {
        return alepheeUrl(orderId, SandboxOptions.DEFAULT_ALEPHEE_API_KEY, SandboxOptions.DEFAULT_ALEPHEE_ACCOUNT_ID);
    }

    String alepheeUrl(Object orderId, String key, String account) {
        StringBuilder url = new StringBuilder(sandbox.alepheeBaseUrl()).append("/orders/").append(orderId)
                .append("/messages");
        String sep = "?";
        if (key != null) {
            url.append(sep).append("API_KEY=").append(key);
            sep = "&";
        }
        if (account != null) {
            url.append(sep).append("accountId=").append(account);
        }
        return url.toString();
    }

    HttpResponse<String> alepheeJson(String url, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    HttpResponse<String> alepheeBody(String url, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
