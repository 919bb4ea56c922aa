package io.marketplacebridge.sandbox;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The Alephee API v2 send-message endpoint under {@code /alephee/v2} (SPEC section 2): credentials in the query,
 * a JSON or multipart body, the message rules, a per-minute limit per API key with the {@code x-ratelimit-*}
 * headers on every response, and optional per-order conversation rules (409/412).
 */
final class AlepheeApi {

    static final String BASE = "/alephee/v2";
    static final int MAX_MESSAGE_CODE_POINTS = 350;
    static final String[] OPTION_NAMES = {null, "REQUEST_VARIANTS", "REQUEST_BILLING_INFO", "SEND_INVOICE_LINK",
        "OTHER", "DELIVERY_PROMISE"};

    private final RateLimiter limiter;
    /** The accepted API keys, each with the account ids it may use. */
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();
    private final Map<Long, Conversation> conversations = new ConcurrentHashMap<>();
    private final List<AlepheeMessage> received = new ArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile String defaultKey;

    AlepheeApi(String apiKey, String accountId, int requestsPerMinute) {
        this.defaultKey = apiKey;
        addKey(apiKey, accountId);
        this.limiter = new RateLimiter(requestsPerMinute);
    }

    /** The first key is accepted under this value from now on (to test 401), with its accounts. */
    void apiKey(String acceptedKey) {
        Set<String> accounts = keys.remove(defaultKey);
        defaultKey = acceptedKey;
        keys.put(acceptedKey, accounts);
    }

    void acceptAccount(String accountId) {
        keys.get(defaultKey).add(accountId);
    }

    /** One more API key (its own rate limit window), with one account id. */
    void addKey(String apiKey, String accountId) {
        keys.computeIfAbsent(apiKey, k -> ConcurrentHashMap.newKeySet()).add(accountId);
    }

    synchronized List<AlepheeMessage> received() {
        return List.copyOf(received);
    }

    RateLimiter limiter() {
        return limiter;
    }

    Conversation conversation(long orderId) {
        return conversations.computeIfAbsent(orderId, id -> new Conversation());
    }

    static Endpoint endpoint(String method, String sub) {
        return sub.matches("/orders/[^/]+/messages/?") ? Endpoint.ALEPHEE_SEND : null;
    }

    /** A failed request: HTTP status and the Message of the {@code {"Status", "Message"}} body. */
    private static final class Rejected extends Exception {
        final int status;

        Rejected(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** What a request asked for, whatever its body format. */
    private record Request(String message, String option, byte[] document, String base64, String documentName,
                           String documentExtension, String format) {
    }

    void handle(HttpExchange ex, String sub, Faults.Fault fault) throws IOException {
        Map<String, String> q = Http.query(ex);
        String key = q.getOrDefault("API_KEY", "");
        RateLimiter.Decision rate = limiter.acquire(key);
        var headers = ex.getResponseHeaders();
        headers.set("x-ratelimit-limit", String.valueOf(rate.limit()));
        headers.set("x-ratelimit-remaining", String.valueOf(rate.remaining()));
        headers.set("x-ratelimit-reset", String.valueOf(rate.resetSeconds()));
        headers.set("x-ratelimit-retryafter", String.valueOf(rate.allowed() ? 0 : rate.resetSeconds()));
        if (fault != null) {
            if (fault.kind() == Faults.Kind.RATE_LIMIT) {
                // an injected 429 looks like an exhausted window that resets after Retry-After
                String wait = String.valueOf(fault.retryAfterSeconds());
                headers.set("Retry-After", wait);
                headers.set("x-ratelimit-remaining", "0");
                headers.set("x-ratelimit-reset", wait);
                headers.set("x-ratelimit-retryafter", wait);
                status(ex, 429, "Too many requests, retry after " + fault.retryAfterSeconds() + " seconds");
            } else if (fault.status() >= 500) {
                Http.text(ex, fault.status(), "Internal server error (injected by the sandbox)");
            } else {
                status(ex, fault.status(), "Injected failure " + fault.status() + " (sandbox)");
            }
            return;
        }
        if (!rate.allowed()) {
            headers.set("Retry-After", String.valueOf(rate.resetSeconds()));
            status(ex, 429, "Rate limit of " + rate.limit() + " requests per minute exceeded, retry after "
                    + rate.resetSeconds() + " seconds");
            return;
        }
        try {
            String answer = send(ex, sub, q, key);
            Http.text(ex, 200, answer);
        } catch (Rejected r) {
            status(ex, r.status, r.getMessage());
        }
    }

    private String send(HttpExchange ex, String sub, Map<String, String> q, String key) throws Rejected, IOException {
        String accountId = q.get("accountId");
        Set<String> accounts = keys.get(key);
        if (key.isEmpty() || accounts == null) {
            throw new Rejected(401, key.isEmpty() ? "API_KEY query parameter is required" : "Invalid API_KEY");
        }
        if (accountId == null || accountId.isEmpty()) {
            throw new Rejected(401, "accountId query parameter is required");
        }
        if (!accounts.contains(accountId)) {
            throw new Rejected(401, "accountId " + accountId + " is not an account of this API_KEY");
        }
        if (endpoint(ex.getRequestMethod(), sub) == null) {
            throw new Rejected(404, "No such resource: " + sub);
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            throw new Rejected(405, ex.getRequestMethod() + " is not allowed, use POST");
        }
        String rawOrder = sub.split("/")[2];
        if (!rawOrder.matches("\\d{1,18}") || Sandbox.isUnknownOrder(Long.parseLong(rawOrder))) {
            throw new Rejected(404, "Order " + rawOrder + " not found");
        }
        long orderId = Long.parseLong(rawOrder);
        Request request = read(ex);
        int option = option(request.option());
        String message = request.message() == null || request.message().isBlank() ? null : request.message();
        if (message != null && message.codePointCount(0, message.length()) > MAX_MESSAGE_CODE_POINTS) {
            throw new Rejected(400, "message has " + message.codePointCount(0, message.length())
                    + " characters, at most " + MAX_MESSAGE_CODE_POINTS + " are allowed");
        }
        if (option <= 2 && message != null) {
            throw new Rejected(400, "messageOptions " + option + " (" + OPTION_NAMES[option]
                    + ") is a fixed template and takes no free text");
        }
        if (option >= 3 && message == null) {
            throw new Rejected(400, "message is required for messageOptions " + option + " (" + OPTION_NAMES[option]
                    + ")");
        }
        byte[] document = document(request);
        AlepheeMessage accepted;
        Conversation conversation = conversations.get(orderId);
        if (conversation != null) {
            synchronized (conversation) {
                conversation.check(orderId, option, document != null);
                accepted = record(orderId, accountId, message, option, request, document, key);
                conversation.sent(option, document != null);
            }
        } else {
            accepted = record(orderId, accountId, message, option, request, document, key);
        }
        return "Message " + accepted.id() + " sent to order " + orderId;
    }

    private synchronized AlepheeMessage record(long orderId, String accountId, String message, int option,
                                               Request request, byte[] document, String apiKey) {
        AlepheeMessage m = new AlepheeMessage(nextId.getAndIncrement(), orderId, accountId, message, option,
                document == null ? null : request.documentName(), document == null ? null : request.documentExtension(),
                document, request.format(), Instant.now(), apiKey);
        received.add(m);
        return m;
    }

    private static Request read(HttpExchange ex) throws Rejected, IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        byte[] body;
        try {
            body = Http.body(ex);
        } catch (Http.BodyTooLargeException e) {
            throw new Rejected(400, "Request body is larger than " + Http.MAX_BODY_BYTES + " bytes");
        }
        String boundary = Multipart.boundary(contentType);
        if (boundary != null) {
            return readMultipart(body, boundary);
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Rejected(400, "Content-Type must be application/json or multipart/form-data, got "
                    + contentType);
        }
        JsonNode json;
        try {
            json = Http.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Rejected(400, "Body is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new Rejected(400, "Body must be a JSON object");
        }
        ObjectNode o = (ObjectNode) json;
        return new Request(text(o, "message"), text(o, "messageOptions"), null, text(o, "fileBase64"),
                text(o, "documentName"), text(o, "documentExtension"), "json");
    }

    private static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
    }

    private static Request readMultipart(byte[] body, String boundary) throws Rejected {
        List<Multipart.Part> parts;
        try {
            parts = Multipart.parse(body, boundary);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, "Malformed multipart body: " + e.getMessage());
        }
        String message = null;
        String option = null;
        String base64 = null;
        String name = null;
        String extension = null;
        byte[] file = null;
        String filename = null;
        for (Multipart.Part p : parts) {
            switch (p.name()) {
                case "message" -> message = p.text();
                case "messageOptions" -> option = p.text().trim();
                case "fileBase64" -> base64 = p.text();
                case "documentName" -> name = p.text();
                case "documentExtension" -> extension = p.text();
                case "file" -> {
                    file = p.content();
                    filename = p.filename();
                }
                default -> { }
            }
        }
        if (file != null && filename != null) {
            int dot = filename.lastIndexOf('.');
            if (name == null) {
                name = dot > 0 ? filename.substring(0, dot) : filename;
            }
            if (extension == null && dot > 0) {
                extension = filename.substring(dot + 1);
            }
        }
        return new Request(message, option, file, base64, name, extension, "multipart");
    }

    private static int option(String raw) throws Rejected {
        if (raw == null || raw.isBlank()) {
            throw new Rejected(400, "messageOptions is required: 1 REQUEST_VARIANTS, 2 REQUEST_BILLING_INFO, "
                    + "3 SEND_INVOICE_LINK, 4 OTHER, 5 DELIVERY_PROMISE");
        }
        if (!raw.trim().matches("[1-5]")) {
            throw new Rejected(400, "messageOptions must be a number from 1 to 5, got '" + raw + "'");
        }
        return Integer.parseInt(raw.trim());
    }

    /** The decoded document, or null when none was sent. */
    private static byte[] document(Request r) throws Rejected {
        if (r.document() != null && r.base64() != null) {
            throw new Rejected(400, "Send the document either as part 'file' or as 'fileBase64', not both");
        }
        byte[] doc = r.document();
        if (r.base64() != null) {
            try {
                doc = Base64.getDecoder().decode(r.base64().trim());
            } catch (IllegalArgumentException e) {
                throw new Rejected(400, "fileBase64 is not valid base64: " + e.getMessage());
            }
        }
        if (doc == null) {
            if (r.documentName() != null || r.documentExtension() != null) {
                throw new Rejected(400, "documentName/documentExtension given without a document");
            }
            return null;
        }
        if (doc.length == 0) {
            throw new Rejected(400, "The document is empty");
        }
        if (r.documentName() == null || r.documentName().isBlank()) {
            throw new Rejected(400, "documentName is required with a document");
        }
        if (r.documentExtension() == null || r.documentExtension().isBlank()) {
            throw new Rejected(400, "documentExtension is required with a document");
        }
        return doc;
    }

    private static void status(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode body = Http.MAPPER.createObjectNode();
        body.put("Status", status);
        body.put("Message", message);
        Http.json(ex, status, body);
    }

    /**
     * The remote conversation rules of one order, enforced only for orders a test switched them on for:
     * no second message before the buyer replies (409), an attachment only after a first answered message (412),
     * after an attachment the same reason again (409).
     */
    static final class Conversation {
        private boolean awaitingBuyer;
        private boolean answered;
        private Integer attachmentOption;

        synchronized void buyerReplied() {
            awaitingBuyer = false;
            answered = true;
        }

        private void check(long orderId, int option, boolean attachment) throws Rejected {
            if (awaitingBuyer) {
                throw new Rejected(409, "A message was already sent on order " + orderId
                        + "; wait for the buyer's reply");
            }
            if (attachment && !answered) {
                throw new Rejected(412, "An attachment can only be sent after a first answered message");
            }
            if (attachmentOption != null && option != attachmentOption) {
                throw new Rejected(409, "After an attachment the next message must use the same reason ("
                        + attachmentOption + " " + OPTION_NAMES[attachmentOption] + ")");
            }
        }

        private void sent(int option, boolean attachment) {
            awaitingBuyer = true;
            if (attachment) {
                attachmentOption = option;
            }
        }
    }
}
