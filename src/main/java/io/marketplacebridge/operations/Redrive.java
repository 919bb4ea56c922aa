package io.marketplacebridge.operations;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.marketplacebridge.operations.RecordFields.header;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code redrive}: re-produces matching dead letters onto the outbound topic with their original key, bytes
 * and headers plus {@code redrive-of}. Each redriven dead letter gets a marker on the state topic in the same
 * transaction, so a second run skips it unless {@code --again}.
 */
final class Redrive {

    static final String USAGE = "redrive [--code CODE]... [--since TIME] [--id ID]... [--dry-run] [--again]";
    static final String REDRIVE_OF = "redrive-of";
    /** Marker keys on the state topic: {@code redrive:<dlq-topic>:<partition>-<offset>}. */
    static final String MARKER_PREFIX = "redrive:";

    /** Headers the DLQ copy added (and the mark of an earlier redrive): not the command's own. */
    private static final Set<String> DLQ_HEADERS = Set.of("error-code", "error-message", "source-topic",
            "source-partition", "source-offset", "error-original-bytes", REDRIVE_OF);

    private static final String SKIP_DONE = "already redriven";
    private static final String SKIP_CUT = "original value cut in the DLQ";

    /** What to redrive: every filter given must match (several --code or --id: any of them). */
    record Filter(Set<String> codes, Set<String> ids, Instant since) {
        boolean matches(ConsumerRecord<String, byte[]> r) {
            if (!codes.isEmpty() && !codes.contains(header(r.headers(), "error-code"))) {
                return false;
            }
            if (since != null && r.timestamp() < since.toEpochMilli()) {
                return false;
            }
            return ids.isEmpty() || ids.contains(commandId(r));
        }
    }

    private final BridgeSettings settings;
    private final KafkaClients clients;
    private final PrintStream out;
    private final PrintStream err;

    Redrive(CommandSettings command, PrintStream out, PrintStream err) {
        this.settings = command.settings();
        this.clients = command.clients();
        this.out = out;
        this.err = err;
    }

    /** A checked command line. */
    record Request(Filter filter, boolean dryRun, boolean again) {
    }

    static Request parse(List<String> args) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of("--since"), Set.of("--code", "--id"), Set.of("--dry-run", "--again"));
        Instant since = a.one("--since").isPresent() ? TimeArgument.parse("--since", a.one("--since").get(), Instant.now()) : null;
        return new Request(new Filter(Set.copyOf(a.all("--code")), Set.copyOf(a.all("--id")), since),
                a.flag("--dry-run"), a.flag("--again"));
    }

    int run(Request request) {
        return run(request.filter(), request.dryRun(), request.again());
    }

    private int run(Filter filter, boolean dryRun, boolean again) {
        BridgeSettings.Topics topics = settings.topics();
        String dlq = topics.dlq();
        out.println("redrive" + (dryRun ? " --dry-run" : "") + ": " + dlq + " -> " + topics.outbound()
                + " (filters: " + describe(filter) + (again ? ", --again" : "") + ")");
        new TopicScan(clients, "marketplace-bridge-redrive").requireTopics(Map.of(
                topics.outbound(), "BRIDGE_TOPIC_OUTBOUND", topics.state(), "BRIDGE_TOPIC_STATE"));
        Set<String> done = again ? Set.of() : redriven(dlq);
        Tally tally = new Tally();
        ProgressReport progress = new ProgressReport(err, () -> "redrive: read " + tally.scanned + " dead letters, "
                + tally.matched + " matched");
        try (TransactionalWriter writer = new TransactionalWriter(clients, "redrive")) {
            new TopicScan(clients, "marketplace-bridge-redrive").read(Map.of(dlq, "BRIDGE_TOPIC_DLQ"), r -> {
                tally.scanned++;
                if (filter.matches(r)) {
                    tally.matched++;
                    redrive(r, done, dryRun, tally, writer);
                }
                progress.record();
            }, progress::tick);
            writer.flush();
            long written = dryRun ? tally.matched - tally.skippedTotal() : writer.written();
            tally.printSummary(out, "redrive", dryRun ? "would redrive" : "redriven", written, writer.failed(), writer.notAttempted());
            if (writer.failure() != null) {
                err.println("redrive: a write failed (" + writer.failure() + "); what was committed stays redriven,"
                        + " run it again for the rest");
                return Operations.PARTLY_DONE;
            }
            return Operations.DONE;
        }
    }

    /** One matching dead letter: skipped with a reason, listed (dry run), or queued for the outbound topic. */
    private void redrive(ConsumerRecord<String, byte[]> r, Set<String> done, boolean dryRun, Tally tally,
                         TransactionalWriter writer) {
        String coordinates = r.partition() + "-" + r.offset();
        String cut = header(r.headers(), "error-original-bytes");
        String what = "dlq " + coordinates + "  id=" + commandId(r) + "  code=" + header(r.headers(), "error-code")
                + "  key=" + r.key() + "  at " + Instant.ofEpochMilli(r.timestamp());
        if (done.contains(coordinates)) {
            tally.skip(SKIP_DONE);
            if (dryRun) {
                out.println("skip   " + what + "  (" + SKIP_DONE + "; --again redrives it)");
            }
        } else if (cut != null) {
            tally.skip(SKIP_CUT);
            out.println("skip   " + what + "  (" + SKIP_CUT + ": " + cut + " bytes; the original is at "
                    + sourceId(r.headers()) + ")");
        } else if (dryRun) {
            out.println("would  " + what);
        } else {
            writer.add(List.of(command(r), marker(settings.topics().dlq(), r)));
        }
    }

    /** The command as it was before it was dead-lettered, plus where this copy comes from. */
    ProducerRecord<String, byte[]> command(ConsumerRecord<String, byte[]> deadLetter) {
        Headers headers = new RecordHeaders();
        for (Header h : deadLetter.headers()) {
            if (!DLQ_HEADERS.contains(h.key()) && !h.key().startsWith("ce_")) {
                headers.add(h);
            }
        }
        headers.add(REDRIVE_OF, utf8(deadLetter.partition() + "-" + deadLetter.offset()));
        return new ProducerRecord<>(settings.topics().outbound(), null, deadLetter.key(), deadLetter.value(), headers);
    }

    private ProducerRecord<String, byte[]> marker(String dlq, ConsumerRecord<String, byte[]> deadLetter) {
        // the bridge's readers of the state topic read partition 0 and ignore keys they do not know
        return new ProducerRecord<>(settings.topics().state(), 0, markerKey(dlq, deadLetter.partition() + "-" + deadLetter.offset()),
                utf8(Instant.now().toString()));
    }

    static String markerKey(String dlq, String coordinates) {
        return MARKER_PREFIX + dlq + ":" + coordinates;
    }

    /** The DLQ coordinates already redriven, from the markers on the state topic. */
    private Set<String> redriven(String dlq) {
        String prefix = markerKey(dlq, "");
        Set<String> done = new HashSet<>();
        new TopicScan(clients, "marketplace-bridge-redrive-markers").read(Map.of(settings.topics().state(), "BRIDGE_TOPIC_STATE"), r -> {
            if (r.key() != null && r.key().startsWith(prefix)) {
                String coordinates = r.key().substring(prefix.length());
                if (r.value() == null) {
                    done.remove(coordinates);
                } else {
                    done.add(coordinates);
                }
            }
        }, () -> { });
        return done;
    }

    static String commandId(ConsumerRecord<String, byte[]> deadLetter) {
        String own = RecordFields.ownId(deadLetter.value());
        return own != null ? own : sourceId(deadLetter.headers());
    }

    /** The default id of the command a dead letter copies: its coordinates on the outbound topic. */
    private static String sourceId(Headers h) {
        return RecordFields.defaultId(header(h, "source-topic"), header(h, "source-partition"), header(h, "source-offset"));
    }

    private static String describe(Filter f) {
        Map<String, Object> given = new LinkedHashMap<>();
        if (!f.codes().isEmpty()) {
            given.put("code", f.codes());
        }
        if (!f.ids().isEmpty()) {
            given.put("id", f.ids());
        }
        if (f.since() != null) {
            given.put("since", f.since());
        }
        return given.isEmpty() ? "none, every dead letter" : given.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
