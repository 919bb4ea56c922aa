package io.marketplacebridge.outbound;

import java.util.List;

import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.observe.BridgeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.marketplacebridge.config.BridgeSettings.BodyFormat;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaTx;
import io.marketplacebridge.outbound.CommandResult.Status;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Containment and completion as beans: what a thrown exception becomes, and what a completion writes. */
class CommandFailuresTest {

    private static final Accounts ACCOUNTS = new Accounts(List.of(new Accounts.Account(Accounts.DEFAULT,
            new Accounts.Lectronz("https://lectronz.test/api/v1", "token", null), new Accounts.Alephee("key", "77"))), false);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);
    private final LectronzDelivery lectronz = new LectronzDelivery(ACCOUNTS, CLOCK);
    private final AlepheeDelivery alephee = new AlepheeDelivery(null, new AlepheeRateGate(CLOCK, null), BodyFormat.JSON, ACCOUNTS, CLOCK);
    private final CommandFailures failures = new CommandFailures(lectronz, alephee, CLOCK);
    private final DeliveredIds deliveredIds = new DeliveredIds(new KafkaClients("localhost:1", Map.of()), "state", java.time.Duration.ofDays(7));
    private final CommandCompletion completion = new CommandCompletion(deliveredIds, "results", "dlq", CLOCK, new BridgeMetrics(new SimpleMeterRegistry()));

    private static Exchange exchange(String value, Throwable thrown, boolean called, String channel) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("correlation-id", "c-1".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("commands", 0, 7, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0, 0, "k", value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
        Exchange ex = new DefaultExchange(new DefaultCamelContext());
        ex.setProperty(KafkaTx.RECORD, record);
        ex.setProperty(Exchange.EXCEPTION_CAUGHT, thrown);
        ex.setProperty(CommandExchange.DRAFT, new CommandDraft("reply-1", channel, "send", null, "commands", 0, 7));
        ex.setProperty(CommandExchange.CHANNEL, channel);
        if (called) {
            ex.setProperty(CommandExchange.PATH, "/messages");
        }
        return ex;
    }

    private CommandResult result(Exchange ex) {
        failures.toResult(ex);
        return ex.getProperty(CommandExchange.RESULT, CommandResult.class);
    }

    @Test
    void aRefusedCommandIsRejectedWithItsCode() {
        CommandResult r = result(exchange("{}", new CommandRejected(ErrorCode.ATTACHMENT_FORBIDDEN, "not there"), false, "alephee"));
        assertEquals(Status.REJECTED, r.status());
        assertEquals(ErrorCode.ATTACHMENT_FORBIDDEN, r.code());
    }

    @Test
    void anythingElseBeforeTheCallIsAnInternalErrorThatNamesOnlyTheExceptionType() {
        CommandResult r = result(exchange("{}", new IllegalStateException("secret-token in a message"), false, "lectronz"));
        assertEquals(Status.FAILED, r.status());
        assertEquals(ErrorCode.INTERNAL_ERROR, r.code());
        assertTrue(r.message().contains("IllegalStateException"), r.message());
        assertFalse(r.message().contains("secret-token"), r.message());
        assertEquals(ErrorCode.INTERNAL_ERROR, result(exchange("{}", new IOException("disk"), false, "alephee")).code(),
                "an I/O error before any call is the bridge's own");
    }

    @Test
    void aRemotesAnswerOrAbsenceIsReadByItsChannel() {
        HttpOperationFailedException notFound = new HttpOperationFailedException("https://x/orders/1/messages", 404, "Not Found", null,
                Map.of(), """
                {"Status":404,"Message":"Order 1 not found"}""");
        CommandResult r = result(exchange("{}", notFound, true, "alephee"));
        assertEquals(Status.REJECTED, r.status());
        assertEquals(ErrorCode.REMOTE_REJECTED, r.code());
        assertEquals("Order 1 not found", r.message());
        CommandResult refused = result(exchange("{}", new java.net.ConnectException("refused"), true, "lectronz"));
        assertEquals(Status.FAILED, refused.status());
        assertEquals(ErrorCode.REMOTE_UNAVAILABLE, refused.code());
    }

    @Test
    void aFailedCommandWritesItsResultAndADeadLetterWithCloudEventsHeaders() {
        Exchange ex = exchange("{\"channel\":\"lectronz\"}", new IllegalStateException("boom"), false, "lectronz");
        failures.toResult(ex);
        completion.complete(ex);
        @SuppressWarnings("unchecked")
        List<ProducerRecord<String, byte[]>> writes = ex.getProperty(KafkaTx.RECORDS, List.class);
        assertEquals(List.of("results", "dlq"), writes.stream().map(ProducerRecord::topic).toList());
        ProducerRecord<String, byte[]> result = writes.get(0);
        ProducerRecord<String, byte[]> dead = writes.get(1);
        assertEquals("k", result.key());
        assertEquals("1.0", header(result, "ce_specversion"));
        assertEquals(CommandCompletion.CE_TYPE_RESULT, header(result, "ce_type"));
        assertEquals("reply-1", header(result, "ce_subject"));
        assertEquals("2026-11-30T08:00:00Z", header(result, "ce_time"));
        assertEquals("c-1", header(result, "correlation-id"));
        assertEquals(CommandCompletion.CE_TYPE_DEAD_LETTER, header(dead, "ce_type"));
        assertNotEquals(header(result, "ce_id"), header(dead, "ce_id"));
        assertEquals("INTERNAL_ERROR", header(dead, "error-code"));
        assertEquals("7", header(dead, "source-offset"));
        assertEquals("c-1", header(dead, "correlation-id"), "the original headers travel with the copy");
        assertEquals("{\"channel\":\"lectronz\"}", new String(dead.value(), StandardCharsets.UTF_8));
    }

    @Test
    void aDeliveredCommandWithAnIdWritesATinyStateRecord() {
        Exchange ex = exchange("{}", null, true, "lectronz");
        ex.setProperty(CommandExchange.RESULT, new CommandDraft("reply-1", "lectronz", "send", null, "commands", 0, 7)
                .result(Status.DELIVERED, null, null, 201, null, 1, CLOCK.instant()));
        completion.complete(ex);
        @SuppressWarnings("unchecked")
        List<ProducerRecord<String, byte[]>> writes = ex.getProperty(KafkaTx.RECORDS, List.class);
        assertEquals(List.of("results", "state", "state"), writes.stream().map(ProducerRecord::topic).toList());
        assertEquals(DeliveredIds.key("reply-1"), writes.get(1).key());
        assertTrue(writes.get(1).value().length < 100, "state records stay tiny");
        assertTrue(deliveredIds.contains("reply-1"));
        // the delivery receipt is no longer needed once this commits
        assertEquals(DeliveryReceipts.KEY_PREFIX + "commands-0-7", writes.get(2).key());
        assertNull(writes.get(2).value());
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
