package io.marketplacebridge.operations;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.marketplacebridge.operations.RecordFields.header;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code replay}: publishes again every inbound record of one account whose message {@code updated_at}
 * ({@code ce_time}) is at or after TIME, oldest first, to the topic it came from, with the same key, value
 * and headers (so the same {@code ce_id}) plus {@code ce_replay: true}. Inbound state is not touched.
 */
final class Replay {

    static final String USAGE = "replay --account NAME --since TIME [--dry-run]";
    static final String CE_REPLAY = "ce_replay";
    static final String ACCOUNT_HEADER = "marketplace-account";
    static final String DEFAULT_ACCOUNT = "default";
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9-]{1,40}");

    private static final String SKIP_REPLAY = "itself a replay";
    private static final String SKIP_NO_TIME = "no readable ce_time";

    /** A record to publish again, and what orders it: message time, then its place on its topic. */
    private record Original(ConsumerRecord<String, byte[]> record, Instant time) {
    }

    private static final Comparator<Original> OLDEST_FIRST = Comparator.comparing(Original::time)
            .thenComparingLong(o -> o.record().offset())
            .thenComparing(o -> o.record().topic())
            .thenComparingInt(o -> o.record().partition());

    private final BridgeSettings settings;
    private final KafkaClients clients;
    private final PrintStream out;
    private final PrintStream err;

    Replay(CommandSettings command, PrintStream out, PrintStream err) {
        this.settings = command.settings();
        this.clients = command.clients();
        this.out = out;
        this.err = err;
    }

    /** A checked command line. */
    record Request(String account, Instant since, boolean dryRun) {
    }

    static Request parse(List<String> args) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of("--account", "--since"), Set.of(), Set.of("--dry-run"));
        String account = a.one("--account").orElseThrow(() -> new UsageException("--account NAME is required"));
        if (!ACCOUNT.matcher(account).matches()) {
            throw new UsageException("--account '" + account + "' is not an account name ([a-z0-9-]{1,40})");
        }
        String since = a.one("--since").orElseThrow(() -> new UsageException("--since TIME is required"));
        return new Request(account, TimeArgument.parse("--since", since, Instant.now()), a.flag("--dry-run"));
    }

    int run(Request request) {
        return run(request.account(), request.since(), request.dryRun());
    }

    private int run(String account, Instant since, boolean dryRun) {
        BridgeSettings.Topics t = settings.topics();
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(t.customerMessages(), "BRIDGE_TOPIC_CUSTOMER_MESSAGES");
        topics.put(t.sellerMessages(), "BRIDGE_TOPIC_SELLER_MESSAGES");
        topics.put(t.refundMessages(), "BRIDGE_TOPIC_REFUND_MESSAGES");
        out.println("replay" + (dryRun ? " --dry-run" : "") + ": account " + account + ", messages updated since " + since
                + ", from " + String.join(", ", topics.keySet()));
        Tally tally = new Tally();
        List<Original> matched = new ArrayList<>();
        ProgressReport reading = new ProgressReport(err, () -> "replay: read " + tally.scanned + " inbound records, "
                + tally.matched + " matched");
        new TopicScan(clients, "marketplace-bridge-replay").read(topics, r -> {
            tally.scanned++;
            select(r, account, since, tally, matched);
            reading.record();
        }, reading::tick);
        matched.sort(OLDEST_FIRST);

        if (dryRun) {
            matched.forEach(o -> out.println("would  " + describe(o)));
            tally.printSummary(out, "replay", "would replay", matched.size(), 0, 0);
            return Operations.DONE;
        }
        try (TransactionalWriter writer = new TransactionalWriter(clients, "replay")) {
            ProgressReport writing = new ProgressReport(err, () -> "replay: written " + writer.written() + " of " + matched.size());
            for (Original o : matched) {
                writer.add(List.of(again(o.record())));
                writing.record();
            }
            writer.flush();
            tally.printSummary(out, "replay", "replayed", writer.written(), writer.failed(), writer.notAttempted());
            if (writer.failure() != null) {
                err.println("replay: a write failed (" + writer.failure() + "); the records before it are published");
                return Operations.PARTLY_DONE;
            }
            return Operations.DONE;
        }
    }

    /** Keeps a record of the account at or after since, unless it is itself a replay or has no readable time. */
    private static void select(ConsumerRecord<String, byte[]> r, String account, Instant since, Tally tally, List<Original> matched) {
        String recordAccount = header(r.headers(), ACCOUNT_HEADER);
        if (!account.equals(recordAccount == null ? DEFAULT_ACCOUNT : recordAccount)) {
            return;
        }
        Instant time = time(header(r.headers(), "ce_time"));
        if (time != null && time.isBefore(since)) {
            return;
        }
        tally.matched++;
        if (time == null) {
            tally.skip(SKIP_NO_TIME);
        } else if ("true".equalsIgnoreCase(header(r.headers(), CE_REPLAY))) {
            tally.skip(SKIP_REPLAY);
        } else {
            matched.add(new Original(r, time));
        }
    }

    /** The same record again, marked as a replay; the partitioner puts it where the key's live records go. */
    static ProducerRecord<String, byte[]> again(ConsumerRecord<String, byte[]> original) {
        Headers headers = new RecordHeaders();
        for (Header h : original.headers()) {
            if (!CE_REPLAY.equals(h.key())) {
                headers.add(h);
            }
        }
        headers.add(CE_REPLAY, "true".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(original.topic(), null, original.key(), original.value(), headers);
    }

    private static String describe(Original o) {
        ConsumerRecord<String, byte[]> r = o.record();
        return r.topic() + " " + r.partition() + "-" + r.offset() + "  ce_id=" + header(r.headers(), "ce_id")
                + "  key=" + r.key() + "  ce_time=" + o.time();
    }

    /** {@code ce_time} (the message's updated_at, RFC 3339); null when absent or unreadable. */
    static Instant time(String ceTime) {
        try {
            return ceTime == null ? null : TimeArgument.rfc3339(ceTime);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
