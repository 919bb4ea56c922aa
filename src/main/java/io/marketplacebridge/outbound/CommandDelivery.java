package io.marketplacebridge.outbound;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.marketplacebridge.config.BridgeSettings.BodyFormat;
import io.marketplacebridge.http.RemoteApiHealthCheck;
import io.marketplacebridge.outbound.CommandResult.Status;
import io.marketplacebridge.outbound.OutboundCommand.Action;
import io.marketplacebridge.outbound.OutboundCommand.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command record in, one result out: validates, checks for an already delivered id, resolves the
 * attachment, calls the remote API through the Camel delivery routes (which retry), and maps what happened
 * to a SPEC section 6 result. Never throws for anything a command can contain.
 */
public final class CommandDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String LECTRONZ_SEND = "direct:lectronz-send";
    static final String LECTRONZ_MARK_AS_READ = "direct:outbound-lectronz-mark-as-read";
    static final String ALEPHEE_SEND = "direct:alephee-send";
    /** Exchange properties the delivery routes read. */
    static final String PATH = "outboundPath";
    static final String QUERY = "outboundQuery";

    private final CommandValidator validator;
    private final AttachmentResolver attachments;
    private final ProducerTemplate template;
    private final AlepheeRateGate gate;
    private final BodyFormat bodyFormat;
    private final String alepheeApiKey;
    private final Clock clock;
    private final RemoteApiHealthCheck alepheeHealth = new RemoteApiHealthCheck("alephee");

    public CommandDelivery(CommandValidator validator, AttachmentResolver attachments, ProducerTemplate template,
                           AlepheeRateGate gate, BodyFormat bodyFormat, String alepheeApiKey, Clock clock) {
        this.validator = validator;
        this.attachments = attachments;
        this.template = template;
        this.gate = gate;
        this.bodyFormat = bodyFormat;
        this.alepheeApiKey = alepheeApiKey;
        this.clock = clock;
    }

    /** Alephee as the last delivery saw it (registered as the health check {@code alephee}). */
    public RemoteApiHealthCheck alepheeHealth() {
        return alepheeHealth;
    }

    /**
     * @param alreadyDelivered whether an explicit command id was DELIVERED before
     * @return the result, or null when the bridge is stopping and the command must be left for later
     */
    public CommandResult deliver(ConsumerRecord<String, byte[]> record, Predicate<String> alreadyDelivered) {
        String defaultId = record.topic() + "-" + record.partition() + "-" + record.offset();
        CommandValidator.Checked checked = validator.check(record.value());
        CommandValidator.Echo echo = checked.echo();
        String commandId = checked.command() != null && checked.command().id() != null ? checked.command().id()
                : echo.id() != null ? echo.id() : defaultId;
        Builder result = new Builder(record, commandId, echo.channel(), echo.action() == null && echo.channel() != null ? "send" : echo.action(), echo.orderId());
        if (checked.rejection() != null) {
            return log(result.rejected(checked.rejection(), null, 0));
        }
        OutboundCommand command = checked.command();
        if (command.id() != null && alreadyDelivered.test(command.id())) {
            return log(result.done(Status.DUPLICATE, null, "Command id '" + command.id() + "' was already delivered; nothing was sent again", null, null, 0));
        }
        AttachmentResolver.Resolved document = null;
        try {
            if (command.attachment() != null) {
                document = attachments.resolve(command.attachment());
            }
            CommandResult r = call(command, document, result);
            if (r != null && command.channel() == Channel.ALEPHEE) {
                observeAlephee(r);
            }
            return log(r);
        } catch (CommandRejected r) {
            return log(result.rejected(r, null, 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (document != null) {
                document.close();
            }
        }
    }

    private CommandResult call(OutboundCommand command, AttachmentResolver.Resolved document, Builder result) throws InterruptedException {
        String endpoint;
        Object body;
        String path;
        String query = null;
        if (command.channel() == Channel.ALEPHEE) {
            gate.awaitTurn();
            endpoint = ALEPHEE_SEND;
            path = "/orders/" + encode(command.orderIdText()) + "/messages";
            query = "API_KEY=" + encode(alepheeApiKey) + "&accountId=" + encode(command.accountId());
            body = AlepheeBody.of(bodyFormat, command, document);
        } else if (command.action() == Action.MARK_AS_READ) {
            endpoint = LECTRONZ_MARK_AS_READ;
            path = "/messages/" + encode(command.messageId()) + "/mark_as_read";
            body = null;
        } else {
            endpoint = LECTRONZ_SEND;
            path = "/messages";
            var message = JSON.createObjectNode();
            message.put("content", command.content());
            message.put("type", "seller_order_message");
            var subject = message.putObject("subject");
            subject.set("id", command.orderId());
            subject.put("type", "order");
            body = new StringEntity(message.toString(), ContentType.APPLICATION_JSON);
        }
        String finalQuery = query;
        Exchange exchange = template.send(endpoint, ex -> {
            ex.getIn().setBody(body);
            ex.setProperty(PATH, path);
            if (finalQuery != null) {
                ex.setProperty(QUERY, finalQuery);
            }
        });
        int attempts = 1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        Exception failure = exchange.getException();
        String remoteName = command.channel() == Channel.ALEPHEE ? "Alephee" : "Lectronz";
        if (failure == null) {
            if (command.channel() == Channel.ALEPHEE) {
                gate.observe(exchange.getMessage().getHeaders());
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            return result.done(Status.DELIVERED, null, null, status, remote(exchange.getMessage().getBody(String.class)), attempts);
        }
        if (failure instanceof HttpOperationFailedException http) {
            if (command.channel() == Channel.ALEPHEE) {
                gate.observe(http.getResponseHeaders());
            }
            int status = http.getStatusCode();
            if (status == 408 || status == 429 || status >= 500) {
                return result.done(Status.FAILED, ErrorCode.REMOTE_UNAVAILABLE, remoteName + " answered HTTP " + status
                        + " on every one of " + attempts + " attempts; the command was not delivered", status, remote(http.getResponseBody()), attempts);
            }
            return result.done(Status.REJECTED, ErrorCode.REMOTE_REJECTED, remoteMessage(remoteName, status, http.getResponseBody()),
                    status, remote(http.getResponseBody()), attempts);
        }
        if (exchange.getContext().isStopping() || exchange.getContext().isStopped()
                || failure instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException) {
            return null; // the bridge is shutting down: leave the command to the next owner
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return result.done(Status.FAILED, ErrorCode.REMOTE_UNAVAILABLE, "Could not reach " + remoteName + " after "
                + attempts + " attempts (" + root.getClass().getSimpleName() + ")", null, null, attempts);
    }

    private void observeAlephee(CommandResult r) {
        Integer status = r.httpStatus();
        if (status != null && (status == 401 || status == 403)) {
            alepheeHealth.down("Alephee refuses the credentials (HTTP " + status + "): check ALEPHEE_API_KEY and ALEPHEE_ACCOUNT_ID");
        } else if (r.code() == ErrorCode.REMOTE_UNAVAILABLE) {
            alepheeHealth.down("Alephee unavailable: " + r.message());
        } else {
            alepheeHealth.up();
        }
    }

    /** The remote's own words: Alephee's {@code Message}, Lectronz's {@code errors}. */
    static String remoteMessage(String remoteName, int status, String body) {
        String words = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode n = JSON.readTree(body);
                if (n.hasNonNull("Message")) {
                    words = n.get("Message").asText();
                } else if (n.hasNonNull("errors")) {
                    words = flatten(n.get("errors"));
                } else if (n.isTextual()) {
                    words = n.asText();
                }
            } catch (Exception notJson) {
                words = body.trim();
            }
        }
        if (words == null || words.isBlank()) {
            words = remoteName + " refused the message with HTTP " + status;
        }
        return words.length() > 1000 ? words.substring(0, 1000) + "…" : words;
    }

    /** Lectronz errors as words: {@code {"type": ["must be ..."]}} becomes {@code type: must be ...}. */
    private static String flatten(JsonNode errors) {
        if (errors.isObject()) {
            List<String> parts = new ArrayList<>();
            errors.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + flatten(e.getValue())));
            return String.join("; ", parts);
        }
        if (errors.isArray()) {
            List<String> parts = new ArrayList<>();
            errors.forEach(e -> parts.add(flatten(e)));
            return String.join(", ", parts);
        }
        return errors.asText();
    }

    static JsonNode remote(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && (n.isObject() || n.isArray())) {
                return n;
            }
        } catch (Exception notJson) {
            // Alephee answers with a plain string
        }
        return TextNode.valueOf(body);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static CommandResult log(CommandResult r) {
        if (LOG.isInfoEnabled()) {
            String what = r.action() == null ? "command" : r.action() + (r.orderId() != null ? " order " + r.orderId().asText() : "");
            String detail = r.status() == Status.DELIVERED
                    ? " (" + r.httpStatus() + ", " + r.attempts() + (r.attempts() == 1 ? " attempt)" : " attempts)")
                    : r.code() == null ? "" : " " + r.code() + (r.httpStatus() == null ? "" : " (" + r.httpStatus() + ")") + ": " + r.message();
            LOG.info("outbound {} {} {} -> {}{}", r.commandId(), r.channel() == null ? "?" : r.channel(), what, r.status(), detail);
        }
        return r;
    }

    /** Collects the parts of a result that do not depend on the outcome. */
    private final class Builder {
        private final ConsumerRecord<String, byte[]> record;
        private final String commandId;
        private final String channel;
        private final String action;
        private final JsonNode orderId;

        Builder(ConsumerRecord<String, byte[]> record, String commandId, String channel, String action, JsonNode orderId) {
            this.record = record;
            this.commandId = commandId;
            this.channel = channel;
            this.action = action;
            this.orderId = orderId;
        }

        CommandResult rejected(CommandRejected r, Integer httpStatus, int attempts) {
            return done(Status.REJECTED, r.code(), r.getMessage(), httpStatus, null, attempts);
        }

        CommandResult done(Status status, ErrorCode code, String message, Integer httpStatus, JsonNode remote, int attempts) {
            return new CommandResult(commandId, channel, action, orderId, status, code, message, httpStatus, remote, attempts,
                    record.topic(), record.partition(), record.offset(), clock.instant());
        }
    }
}
