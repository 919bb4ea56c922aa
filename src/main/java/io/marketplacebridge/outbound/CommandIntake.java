package io.marketplacebridge.outbound;

import java.time.Clock;
import java.util.Optional;

import io.marketplacebridge.kafka.KafkaTx;
import io.marketplacebridge.outbound.CommandResult.Status;
import io.marketplacebridge.outbound.OutboundCommand.Action;
import io.marketplacebridge.outbound.OutboundCommand.Channel;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The first steps of the outbound route: read and check the command, then skip an id already delivered. */
public final class CommandIntake {

    private final CommandValidator validator;
    private final DeliveredIds deliveredIds;
    private final Clock clock;

    public CommandIntake(CommandValidator validator, DeliveredIds deliveredIds, Clock clock) {
        this.validator = validator;
        this.deliveredIds = deliveredIds;
        this.clock = clock;
    }

    /** Sets {@link CommandExchange#COMMAND} and the channel/action the route chooses on, or a REJECTED result. */
    public void validate(Exchange exchange) {
        ConsumerRecord<String, byte[]> record = record(exchange);
        CommandValidator.Checked checked = validator.check(record.value());
        CommandDraft draft = CommandDraft.of(record, checked.echo());
        OutboundCommand command = checked.command();
        if (command != null && command.id() != null) {
            draft = new CommandDraft(command.id(), draft.channel(), draft.action(), draft.orderId(),
                    draft.sourceTopic(), draft.sourcePartition(), draft.sourceOffset());
        }
        exchange.setProperty(CommandExchange.DRAFT, draft);
        if (checked.rejection() != null) {
            exchange.setProperty(CommandExchange.RESULT, draft.result(Status.REJECTED, checked.rejection().code(),
                    checked.rejection().getMessage(), null, null, 0, clock.instant()));
            return;
        }
        exchange.setProperty(CommandExchange.COMMAND, command);
        exchange.setProperty(CommandExchange.CHANNEL, command.channel() == Channel.ALEPHEE ? "alephee" : "lectronz");
        exchange.setProperty(CommandExchange.ACTION, command.action() == Action.MARK_AS_READ ? "mark_as_read" : "send");
    }

    /**
     * A record delivered before a kill -9 gets the result of its receipt ({@link DeliveryReceipts}); a command whose
     * explicit id was DELIVERED before gets DUPLICATE. Neither is sent.
     */
    public void skipDelivered(Exchange exchange) {
        Optional<CommandResult> receipt = deliveredIds.receipts().replay(record(exchange));
        if (receipt.isPresent()) { // this record was delivered before a kill, its result not committed
            exchange.setProperty(CommandExchange.RESULT, receipt.get());
            exchange.setProperty(DeliveryReceipts.REPLAYED, true);
            return;
        }
        OutboundCommand command = exchange.getProperty(CommandExchange.COMMAND, OutboundCommand.class);
        if (command != null && command.id() != null && deliveredIds.contains(command.id())) {
            CommandDraft draft = exchange.getProperty(CommandExchange.DRAFT, CommandDraft.class);
            exchange.setProperty(CommandExchange.RESULT, draft.result(Status.DUPLICATE, null,
                    "Command id '" + command.id() + "' was already delivered; nothing was sent again", null, null, 0, clock.instant()));
        }
    }

    @SuppressWarnings("unchecked")
    static ConsumerRecord<String, byte[]> record(Exchange exchange) {
        return exchange.getProperty(KafkaTx.RECORD, ConsumerRecord.class);
    }
}
