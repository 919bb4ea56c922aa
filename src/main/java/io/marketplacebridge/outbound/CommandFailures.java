package io.marketplacebridge.outbound;

import java.io.IOException;
import java.time.Clock;

import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whatever was thrown while handling one command becomes that command's result (the route's
 * {@code onException}): a refused command is REJECTED with its code, a remote's refusal or absence is read by
 * its channel, and anything else is FAILED {@code INTERNAL_ERROR}. The stream goes on either way.
 */
public final class CommandFailures {

    private static final Logger LOG = LoggerFactory.getLogger(CommandFailures.class);

    private final LectronzDelivery lectronz;
    private final AlepheeDelivery alephee;
    private final Clock clock;

    public CommandFailures(LectronzDelivery lectronz, AlepheeDelivery alephee, Clock clock) {
        this.lectronz = lectronz;
        this.alephee = alephee;
        this.clock = clock;
    }

    public void toResult(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CommandDraft draft = exchange.getProperty(CommandExchange.DRAFT, CommandDraft.class);
        if (draft == null) {
            draft = CommandDraft.of(CommandIntake.record(exchange), CommandValidator.Echo.NONE);
        }
        exchange.setProperty(CommandExchange.RESULT, result(exchange, draft, e));
    }

    private CommandResult result(Exchange exchange, CommandDraft draft, Throwable e) {
        if (e instanceof CommandRejected r) {
            return draft.result(Status.REJECTED, r.code(), r.getMessage(), null, null, 0, clock.instant());
        }
        boolean isAlephee = "alephee".equals(exchange.getProperty(CommandExchange.CHANNEL, String.class));
        boolean calledRemote = exchange.getProperty(CommandExchange.PATH) != null;
        HttpOperationFailedException refusal = find(e, HttpOperationFailedException.class);
        if (calledRemote && refusal != null) {
            return isAlephee ? alephee.refused(exchange, draft, refusal) : lectronz.refused(exchange, draft, refusal);
        }
        IOException io = find(e, IOException.class);
        if (calledRemote && io != null) {
            return isAlephee ? alephee.unreachable(exchange, draft, io) : lectronz.unreachable(exchange, draft, io);
        }
        // the exception's message may quote a command or a URL: the result names only its type
        LOG.error("Outbound: command {} could not be handled; it gets FAILED INTERNAL_ERROR", draft.commandId(), e);
        return draft.result(Status.FAILED, ErrorCode.INTERNAL_ERROR, "The bridge could not handle this command ("
                + (e == null ? "no result" : e.getClass().getSimpleName()) + "); the bridge log has the details",
                null, null, 0, clock.instant());
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
