package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.marketplacebridge.kafka.KafkaTx;
import io.marketplacebridge.observe.BridgeMetrics;
import io.marketplacebridge.kafka.TopicInitializer;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the outbound route: what the command's completion writes, in the transaction that commits
 * its offset ({@link KafkaTx#RECORDS}): the result, a dead-letter copy of a REJECTED or FAILED command, and for a
 * DELIVERED command the tombstone of its {@link DeliveryReceipts receipt} and, with an explicit id, its delivered-id
 * state record. Results and dead letters carry
 * CloudEvents headers in binary mode (SPEC 6).
 */
public final class CommandCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(CommandCompletion.class);
    static final String CE_SOURCE = "/marketplace-bridge/outbound";
    static final String CE_TYPE_RESULT = "io.marketplacebridge.outbound.result";
    static final String CE_TYPE_DEAD_LETTER = "io.marketplacebridge.outbound.deadletter";
    /** The DLQ topic takes 16 MiB records; a larger original is left out (its coordinates point at it). */
    static final int MAX_DLQ_VALUE_BYTES = TopicInitializer.DLQ_MAX_MESSAGE_BYTES - 64 * 1024;
    private static final Set<String> DLQ_HEADERS = Set.of("error-code", "error-message", "source-topic", "source-partition", "source-offset");

    private final DeliveredIds deliveredIds;
    private final String resultTopic;
    private final String dlqTopic;
    private final Clock clock;
    private final BridgeMetrics metrics;

    public CommandCompletion(DeliveredIds deliveredIds, String resultTopic, String dlqTopic, Clock clock, BridgeMetrics metrics) {
        this.deliveredIds = deliveredIds;
        this.resultTopic = resultTopic;
        this.dlqTopic = dlqTopic;
        this.clock = clock;
        this.metrics = metrics;
    }

    public void complete(Exchange exchange) {
        ConsumerRecord<String, byte[]> command = CommandIntake.record(exchange);
        CommandResult result = exchange.getProperty(CommandExchange.RESULT, CommandResult.class);
        if (result == null) {
            CommandDraft draft = exchange.getProperty(CommandExchange.DRAFT, CommandDraft.class);
            result = (draft != null ? draft : CommandDraft.of(command, CommandValidator.Echo.NONE)).result(Status.FAILED,
                    ErrorCode.INTERNAL_ERROR, "The bridge reached no outcome for this command; the bridge log has the details",
                    null, null, 0, clock.instant());
        }
        exchange.setProperty(KafkaTx.RECORDS, writes(command, result));
        if (result.status() == Status.DELIVERED && !result.commandId().equals(CommandDraft.defaultId(command))) {
            // seen at once by the next command with this id: its result is committed in this transaction or a later one
            deliveredIds.add(result.commandId());
        }
        log(result);
        String account = CommandExchange.account(exchange);
        metrics.outboundResult(account, result.channel(), result.status().name(), result.code() == null ? null : result.code().name());
        if (command.timestamp() > 0) {
            metrics.outboundDelivery(account, result.channel(), Duration.between(Instant.ofEpochMilli(command.timestamp()), clock.instant()));
        }
    }

    List<ProducerRecord<String, byte[]>> writes(ConsumerRecord<String, byte[]> command, CommandResult result) {
        List<ProducerRecord<String, byte[]>> writes = new ArrayList<>(3);
        writes.add(resultRecord(command, result));
        if (result.deadLetter()) {
            writes.add(deadLetter(command, result));
        }
        if (result.status() == Status.DELIVERED && !result.commandId().equals(CommandDraft.defaultId(command))) {
            writes.add(deliveredIds.deliveredRecord(result.commandId(), result.timestamp()));
        }
        if (result.status() == Status.DELIVERED) {
            writes.add(deliveredIds.receipts().tombstone(command));
        }
        return writes;
    }

    private ProducerRecord<String, byte[]> resultRecord(ConsumerRecord<String, byte[]> command, CommandResult result) {
        Headers headers = cloudEvent(CE_TYPE_RESULT, result.commandId());
        headers.add("content-type", utf8("application/json"));
        Header correlation = command.headers().lastHeader("correlation-id");
        if (correlation != null) {
            headers.add("correlation-id", correlation.value());
        }
        return new ProducerRecord<>(resultTopic, null, command.key(), result.toBytes(), headers);
    }

    /** The command as it came (bytes and headers), plus what went wrong and where it came from. */
    ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> command, CommandResult result) {
        Headers headers = new RecordHeaders();
        for (Header h : command.headers()) {
            if (!DLQ_HEADERS.contains(h.key()) && !h.key().startsWith("ce_")) {
                headers.add(h);
            }
        }
        cloudEvent(CE_TYPE_DEAD_LETTER, result.commandId()).forEach(headers::add);
        if (headers.lastHeader("content-type") == null) {
            headers.add("content-type", utf8("application/json"));
        }
        headers.add("error-code", utf8(result.code().name()));
        headers.add("error-message", utf8(result.message()));
        headers.add("source-topic", utf8(command.topic()));
        headers.add("source-partition", utf8(String.valueOf(command.partition())));
        headers.add("source-offset", utf8(String.valueOf(command.offset())));
        byte[] value = command.value();
        if (value != null && value.length > MAX_DLQ_VALUE_BYTES) {
            headers.add("error-original-bytes", utf8(String.valueOf(value.length)));
            value = null; // too large for a record: the source coordinates point at the original
        }
        return new ProducerRecord<>(dlqTopic, null, command.key(), value, headers);
    }

    private Headers cloudEvent(String type, String subject) {
        Headers headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("1.0"));
        headers.add("ce_id", utf8(UUID.randomUUID().toString()));
        headers.add("ce_source", utf8(CE_SOURCE));
        headers.add("ce_type", utf8(type));
        headers.add("ce_time", utf8(Instant.now(clock).toString()));
        headers.add("ce_subject", utf8(subject));
        return headers;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    private static void log(CommandResult r) {
        if (LOG.isInfoEnabled()) {
            String what = r.action() == null ? "command" : r.action() + (r.orderId() != null ? " order " + r.orderId().asText() : "");
            String detail = r.status() == Status.DELIVERED
                    ? " (" + r.httpStatus() + ", " + r.attempts() + (r.attempts() == 1 ? " attempt)" : " attempts)")
                    : r.code() == null ? "" : " " + r.code() + (r.httpStatus() == null ? "" : " (" + r.httpStatus() + ")") + ": " + r.message();
            LOG.info("outbound {} {} {} -> {}{}", r.commandId(), r.channel() == null ? "?" : r.channel(), what, r.status(), detail);
        }
    }
}
