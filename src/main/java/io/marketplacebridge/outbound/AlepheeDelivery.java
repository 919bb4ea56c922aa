package io.marketplacebridge.outbound;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.config.BridgeSettings.BodyFormat;
import io.marketplacebridge.http.RemoteApiHealthCheck;
import io.marketplacebridge.http.RemoteCall;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Alephee as an outbound channel: builds the request (attachment included), reads the answer, and keeps the
 * rate gate and the {@code alephee} health check up to date with what Alephee said.
 */
public final class AlepheeDelivery {

    static final String NAME = "Alephee";

    private final AttachmentResolver attachments;
    private final AlepheeRateGate gate;
    private final BodyFormat bodyFormat;
    private final Accounts accounts;
    private final Clock clock;
    private final RemoteApiHealthCheck health = new RemoteApiHealthCheck("alephee");

    public AlepheeDelivery(AttachmentResolver attachments, AlepheeRateGate gate, BodyFormat bodyFormat, Accounts accounts, Clock clock) {
        this.attachments = attachments;
        this.gate = gate;
        this.bodyFormat = bodyFormat;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Alephee as the last delivery saw it (registered as the health check {@code alephee}). */
    public RemoteApiHealthCheck health() {
        return health;
    }

    /** {@code POST /orders/{orderId}/messages?API_KEY=..&accountId=..}; an attachment is fetched or read first. */
    public void prepareSend(Exchange exchange) throws CommandRejected {
        OutboundCommand command = exchange.getProperty(CommandExchange.COMMAND, OutboundCommand.class);
        AttachmentResolver.Resolved document = null;
        if (command.attachment() != null) {
            AttachmentResolver.Resolved resolved = attachments.resolve(command.attachment());
            document = resolved;
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    resolved.close(); // a downloaded copy is a temporary file
                }
            });
        }
        exchange.getMessage().setBody(AlepheeBody.of(bodyFormat, command, document));
        exchange.setProperty(CommandExchange.PATH, "/orders/" + encode(command.orderIdText()) + "/messages");
        // the key of the command's account (the validator made sure it has an Alephee part); accountId defaults to its own
        String apiKey = accounts.get(command.account()).alephee().apiKey();
        exchange.setProperty(CommandExchange.QUERY, "API_KEY=" + encode(apiKey) + "&accountId=" + encode(command.accountId()));
        exchange.setProperty(AlepheeRateGate.KEY, AlepheeRateGate.keyOf(apiKey));
        exchange.setProperty(RemoteCall.ACCOUNT, command.account());
    }

    /** The call succeeded: DELIVERED, with Alephee's answer. */
    public void delivered(Exchange exchange) {
        gate.observe(exchange, exchange.getMessage().getHeaders());
        health.up();
        CommandDraft draft = exchange.getProperty(CommandExchange.DRAFT, CommandDraft.class);
        exchange.setProperty(CommandExchange.RESULT, draft.result(Status.DELIVERED, null, null,
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                RemoteAnswers.body(exchange.getMessage().getBody(String.class)), RemoteAnswers.attempts(exchange), clock.instant()));
    }

    CommandResult refused(Exchange exchange, CommandDraft draft, HttpOperationFailedException e) {
        gate.observe(exchange, e.getResponseHeaders());
        int status = e.getStatusCode();
        CommandResult result = RemoteAnswers.refusal(draft, NAME, e, RemoteAnswers.attempts(exchange), clock.instant());
        if (status == 401 || status == 403) {
            health.down("Alephee refuses the credentials (HTTP " + status + "): check ALEPHEE_API_KEY and ALEPHEE_ACCOUNT_ID");
        } else if (result.code() == ErrorCode.REMOTE_UNAVAILABLE) {
            health.down("Alephee unavailable: " + result.message());
        } else {
            health.up();
        }
        return result;
    }

    CommandResult unreachable(Exchange exchange, CommandDraft draft, Throwable cause) {
        CommandResult result = RemoteAnswers.unreachable(draft, NAME, cause, RemoteAnswers.attempts(exchange), clock.instant());
        health.down("Alephee unavailable: " + result.message());
        return result;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
