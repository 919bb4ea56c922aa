package io.marketplacebridge.sandbox;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The Lectronz Messages API v1 under {@code /lectronz/api/v1} (SPEC section 2). Every error body has "errors".
 * Each accepted bearer token is one store: the token picks the store a request reads and changes.
 */
final class LectronzApi {

    static final String BASE = "/lectronz/api/v1";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_CONTENT_LENGTH = 5000;

    private final Map<String, LectronzStore> stores = new java.util.concurrent.ConcurrentHashMap<>();

    LectronzApi(LectronzStore store, String token) {
        stores.put(token, store);
    }

    /** From now on the store answers to this token only (to test 401). */
    void token(LectronzStore store, String acceptedToken) {
        stores.values().removeIf(s -> s == store);
        stores.put(acceptedToken, store);
    }

    /** One more store, reached with its own token. */
    void addStore(String token, LectronzStore store) {
        if (stores.putIfAbsent(token, store) != null) {
            throw new IllegalArgumentException("the sandbox has a store for that token already");
        }
    }

    java.util.Collection<LectronzStore> stores() {
        return stores.values();
    }

    /** The counted endpoint a request is for, or null (unknown path). {@code sub} is the path after the base. */
    static Endpoint endpoint(String method, String sub) {
        String[] parts = segments(sub);
        if (parts.length == 1 && parts[0].equals("messages")) {
            return "POST".equals(method) ? Endpoint.LECTRONZ_CREATE : Endpoint.LECTRONZ_LIST;
        }
        if (parts.length == 2 && parts[0].equals("messages")) {
            return Endpoint.LECTRONZ_DETAIL;
        }
        if (parts.length == 3 && parts[0].equals("messages") && parts[2].equals("mark_as_read")) {
            return Endpoint.LECTRONZ_MARK_AS_READ;
        }
        return null;
    }

    void handle(HttpExchange ex, String sub, Faults.Fault fault) throws IOException {
        if (fault != null) {
            if (fault.kind() == Faults.Kind.RATE_LIMIT) {
                ex.getResponseHeaders().set("Retry-After", String.valueOf(fault.retryAfterSeconds()));
                error(ex, 429, "rate_limit", "too many requests, retry after " + fault.retryAfterSeconds() + " s");
            } else {
                error(ex, fault.status(), "server", "injected failure (sandbox)");
            }
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        LectronzStore store = auth == null || !auth.startsWith("Bearer ") ? null : stores.get(auth.substring(7));
        if (store == null) {
            error(ex, 401, "authorization", auth == null ? "missing bearer token" : "invalid bearer token");
            return;
        }
        String method = ex.getRequestMethod();
        Endpoint endpoint = endpoint(method, sub);
        if (endpoint == null) {
            error(ex, 404, "path", "no such endpoint: " + sub);
            return;
        }
        String[] parts = segments(sub);
        switch (endpoint) {
            case LECTRONZ_LIST -> {
                if (requireMethod(ex, "GET")) {
                    list(ex, store);
                }
            }
            case LECTRONZ_CREATE -> create(ex, store);
            case LECTRONZ_DETAIL -> {
                if (requireMethod(ex, "GET")) {
                    detail(ex, store, parts[1]);
                }
            }
            case LECTRONZ_MARK_AS_READ -> {
                if (requireMethod(ex, "POST")) {
                    markAsRead(ex, store, parts[1]);
                }
            }
            default -> error(ex, 404, "path", "no such endpoint: " + sub);
        }
    }

    private void list(HttpExchange ex, LectronzStore store) throws IOException {
        Map<String, String> q = Http.query(ex);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        int limit = number(q.get("limit"), DEFAULT_LIMIT, 1, "limit", errors);
        int offset = number(q.get("offset"), 0, 0, "offset", errors);
        if (!errors.isEmpty()) {
            errors(ex, 400, errors);
            return;
        }
        limit = Math.min(limit, MAX_LIMIT);
        LectronzStore.Page page = store.page(limit, offset);
        ObjectNode body = Http.MAPPER.createObjectNode();
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("total_count", page.total());
        ArrayNode messages = body.putArray("messages");
        page.newestFirst().forEach(m -> messages.add(m.toListItem()));
        Http.json(ex, 200, body);
    }

    /** A whole number at least {@code min}; values above int range are capped (limit is capped anyway). */
    private static int number(String raw, int fallback, int min, String name, Map<String, List<String>> errors) {
        if (raw == null) {
            return fallback;
        }
        if (!raw.matches("\\d{1,18}")) {
            errors.put(name, List.of("must be a whole number >= " + min + ", got '" + raw + "'"));
            return fallback;
        }
        long value = Long.parseLong(raw);
        if (value < min) {
            errors.put(name, List.of("must be a whole number >= " + min + ", got '" + raw + "'"));
            return fallback;
        }
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    private void detail(HttpExchange ex, LectronzStore store, String rawId) throws IOException {
        Optional<LectronzMessage> m = parseId(rawId).flatMap(store::find);
        if (m.isEmpty()) {
            error(ex, 404, "id", "message " + rawId + " not found");
            return;
        }
        Http.json(ex, 200, m.get().toDetail());
    }

    private void markAsRead(HttpExchange ex, LectronzStore store, String rawId) throws IOException {
        Optional<LectronzMessage> m = parseId(rawId).flatMap(store::find);
        if (m.isEmpty()) {
            error(ex, 404, "id", "message " + rawId + " not found");
            return;
        }
        if (!LectronzMessage.CUSTOMER.equals(m.get().type())) {
            error(ex, 422, "type", "only a customer_order_message can be marked as read, this is a "
                    + m.get().type());
            return;
        }
        Http.json(ex, 200, store.markRead(m.get().id()).orElseThrow().toDetail());
    }

    private void create(HttpExchange ex, LectronzStore store) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            error(ex, 415, "content_type", "must be application/json, got " + contentType);
            return;
        }
        JsonNode body;
        try {
            body = Http.MAPPER.readTree(Http.body(ex));
        } catch (JsonProcessingException e) {
            error(ex, 400, "body", "is not valid JSON: " + e.getOriginalMessage());
            return;
        }
        if (body == null || !body.isObject()) {
            error(ex, 400, "body", "must be a JSON object");
            return;
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        JsonNode content = body.get("content");
        if (content == null || !content.isTextual() || content.asText().isBlank()) {
            errors.put("content", List.of("can't be blank"));
        } else if (content.asText().length() > MAX_CONTENT_LENGTH) {
            errors.put("content", List.of("is too long (maximum is " + MAX_CONTENT_LENGTH + " characters)"));
        }
        JsonNode type = body.get("type");
        if (type == null || !LectronzMessage.SELLER.equals(type.asText(null))) {
            errors.put("type", List.of("must be seller_order_message"));
        }
        JsonNode subject = body.get("subject");
        long orderId = 0;
        if (subject == null || !subject.isObject() || !"order".equals(subject.path("type").asText(null))) {
            errors.put("subject", List.of("must be {\"id\": <order id>, \"type\": \"order\"}"));
        } else if (!subject.path("id").canConvertToExactIntegral() || subject.path("id").asLong() <= 0) {
            errors.put("subject", List.of("id must be a positive whole number"));
        } else {
            orderId = subject.path("id").asLong();
            if (Sandbox.isUnknownOrder(orderId)) {
                errors.put("subject", List.of("order " + orderId + " not found"));
            }
        }
        if (body.hasNonNull("attachment")) {
            errors.put("attachment", List.of("attachments are not possible on this endpoint"));
        }
        if (!errors.isEmpty()) {
            errors(ex, 422, errors);
            return;
        }
        Http.json(ex, 201, store.createViaApi(orderId, content.asText()).toDetail());
    }

    private static Optional<Long> parseId(String raw) {
        return raw.matches("\\d{1,18}") ? Optional.of(Long.parseLong(raw)) : Optional.empty();
    }

    private static boolean requireMethod(HttpExchange ex, String method) throws IOException {
        if (method.equals(ex.getRequestMethod())) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", method);
        error(ex, 405, "method", ex.getRequestMethod() + " is not allowed here, use " + method);
        return false;
    }

    private static String[] segments(String sub) {
        String s = sub.startsWith("/") ? sub.substring(1) : sub;
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? new String[0] : s.split("/", -1);
    }

    private static void error(HttpExchange ex, int status, String field, String message) throws IOException {
        errors(ex, status, Map.of(field, List.of(message)));
    }

    private static void errors(HttpExchange ex, int status, Map<String, List<String>> errors) throws IOException {
        ObjectNode body = Http.MAPPER.createObjectNode();
        body.set("errors", Http.MAPPER.valueToTree(errors));
        Http.json(ex, status, body);
    }
}
