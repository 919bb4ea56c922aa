package io.marketplacebridge.inbound;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.http.RemoteCall;
import io.marketplacebridge.http.RetryRule;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * {@link LectronzApi} of one account over the remote-call routes of routes/lectronz-api.yaml (auth, retries, timeouts
 * live there): every call carries the account's base URL and token as exchange properties. Inbound calls spend
 * their retries by count ({@code BRIDGE_HTTP_MAX_RETRIES}): the next poll retries anyway.
 */
public final class CamelLectronzApi implements LectronzApi {

    static final String LIST = "direct:lectronz-list-messages";
    static final String GET = "direct:lectronz-get-message";
    static final String MARK_AS_READ = "direct:lectronz-mark-as-read";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProducerTemplate template;
    private final String baseUrl;
    private final String token;

    public CamelLectronzApi(ProducerTemplate template, String baseUrl, String token) {
        this.template = template;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    @Override
    public Page list(int limit, int offset) {
        byte[] body = call(LIST, "list of messages at offset " + offset, e -> {
            e.setProperty("limit", limit);
            e.setProperty("offset", offset);
        });
        return parsePage(body, offset);
    }

    @Override
    public byte[] message(long id) {
        return call(GET, "message " + id, e -> e.setProperty("messageId", id));
    }

    @Override
    public void markAsRead(long id) {
        call(MARK_AS_READ, "mark_as_read of message " + id, e -> e.setProperty(RemoteCall.PATH, "/messages/" + id + "/mark_as_read"));
    }

    private byte[] call(String route, String what, java.util.function.Consumer<Exchange> setup) {
        Exchange done = template.request(route, e -> {
            e.setProperty(RemoteCall.LECTRONZ_BASE_URL, baseUrl);
            e.setProperty(RemoteCall.LECTRONZ_TOKEN, token);
            e.setProperty(RetryRule.RETRY_BY_COUNT, true);
            setup.accept(e);
        });
        Throwable failure = done.getException();
        if (failure == null) {
            byte[] body = done.getMessage().getBody(byte[].class);
            return body == null ? new byte[0] : body;
        }
        HttpOperationFailedException http = find(failure, HttpOperationFailedException.class);
        if (http != null && http.getStatusCode() == 401) {
            throw new UnauthorizedException(null);
        }
        int status = http == null ? 0 : http.getStatusCode();
        String reason = http != null ? "HTTP " + status : failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        throw new LectronzException("Lectronz " + what + " failed: " + reason, status, null);
    }

    static Page parsePage(byte[] body, int offset) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode messages = root == null ? null : root.get("messages");
            JsonNode total = root == null ? null : root.get("total_count");
            if (messages == null || !messages.isArray() || total == null || !total.canConvertToInt()) {
                throw new MalformedResponseException("Lectronz list at offset " + offset
                        + " has no messages array or total_count", null);
            }
            List<Item> items = new ArrayList<>(messages.size());
            for (JsonNode m : messages) {
                JsonNode id = m.get("id");
                String updated = text(m, "updated_at");
                if (id == null || !id.canConvertToLong() || updated == null) {
                    throw new MalformedResponseException("Lectronz list at offset " + offset
                            + " has an item without id or updated_at: " + abbreviate(m.toString()), null);
                }
                items.add(new Item(id.asLong(), text(m, "type"), text(m, "created_at"), updated));
            }
            return new Page(total.asInt(), items);
        } catch (IOException e) {
            throw new MalformedResponseException("Lectronz list at offset " + offset + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
