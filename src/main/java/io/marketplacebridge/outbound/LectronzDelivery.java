package io.marketplacebridge.outbound;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.http.RemoteCall;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/** Lectronz as an outbound channel: builds the request of each action and reads the answer. */
public final class LectronzDelivery {

    static final String NAME = "Lectronz";

    private final Accounts accounts;
    private final Clock clock;

    public LectronzDelivery(Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A seller message on the order: {@code POST /messages}. */
    public void prepareSend(Exchange exchange) {
        OutboundCommand command = exchange.getProperty(CommandExchange.COMMAND, OutboundCommand.class);
        ObjectNode message = CommandResult.JSON.createObjectNode();
        message.put("content", command.content());
        message.put("type", "seller_order_message");
        ObjectNode subject = message.putObject("subject");
        subject.set("id", command.orderId());
        subject.put("type", "order");
        exchange.getMessage().setBody(new StringEntity(message.toString(), ContentType.APPLICATION_JSON));
        exchange.setProperty(CommandExchange.PATH, "/messages");
        useAccount(exchange, command);
    }

    /** {@code POST /messages/{id}/mark_as_read}, no body; the remote route shared with inbound reads {@code messageId}. */
    public void prepareMarkAsRead(Exchange exchange) {
        OutboundCommand command = exchange.getProperty(CommandExchange.COMMAND, OutboundCommand.class);
        exchange.getMessage().setBody(null);
        exchange.setProperty("messageId", command.messageId());
        exchange.setProperty(CommandExchange.PATH, "/messages/" + URLEncoder.encode(command.messageId(), StandardCharsets.UTF_8)
                .replace("+", "%20") + "/mark_as_read");
        useAccount(exchange, command);
    }

    /** The token and base URL of the command's account (the validator made sure it has a Lectronz part). */
    private void useAccount(Exchange exchange, OutboundCommand command) {
        Accounts.Lectronz store = accounts.get(command.account()).lectronz();
        exchange.setProperty(RemoteCall.LECTRONZ_TOKEN, store.apiToken());
        exchange.setProperty(RemoteCall.LECTRONZ_BASE_URL, store.baseUrl());
        exchange.setProperty(RemoteCall.ACCOUNT, command.account());
    }

    /** The call succeeded: DELIVERED, with what Lectronz created. */
    public void delivered(Exchange exchange) {
        CommandDraft draft = exchange.getProperty(CommandExchange.DRAFT, CommandDraft.class);
        exchange.setProperty(CommandExchange.RESULT, draft.result(Status.DELIVERED, null, null,
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                RemoteAnswers.body(exchange.getMessage().getBody(String.class)), RemoteAnswers.attempts(exchange), clock.instant()));
    }

    CommandResult refused(Exchange exchange, CommandDraft draft, HttpOperationFailedException e) {
        return RemoteAnswers.refusal(draft, NAME, e, RemoteAnswers.attempts(exchange), clock.instant());
    }

    CommandResult unreachable(Exchange exchange, CommandDraft draft, Throwable cause) {
        return RemoteAnswers.unreachable(draft, NAME, cause, RemoteAnswers.attempts(exchange), clock.instant());
    }
}
