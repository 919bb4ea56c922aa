package io.marketplacebridge.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;

/**
 * One account's inbound session outside Camel, for the step beans' tests: the in-memory Lectronz, the real
 * in-process Kafka (topics of its own), a lead the test switches, and a read_committed reader of the inbound topics.
 */
final class InboundSessionFixture implements AutoCloseable {

    final FakeLectronz lectronz = new FakeLectronz();
    final AtomicBoolean leading = new AtomicBoolean(true);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BridgeSettings.Topics topics;
    final InboundSession session;
    final InboundScan scan;
    final InboundPublish publish;
    final InboundMarkAsRead markAsRead;
    private final ExecutorService fetchers = Executors.newFixedThreadPool(4);
    private final KafkaClients clients = new KafkaClients(EmbeddedKafkaExtension.bootstrapServers(), Map.of());
    private final KafkaConsumer<String, byte[]> reader;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    /**
     * @param reconcileInterval how often a scan walks the whole list
     * @param markRead          LECTRONZ_MARK_AS_READ
     * @param api               the Lectronz the session calls, {@link #lectronz} or a wrapper of it
     */
    InboundSessionFixture(String name, Duration reconcileInterval, boolean markRead,
                          java.util.function.UnaryOperator<LectronzApi> api) throws Exception {
        String prefix = name + "-" + System.nanoTime();
        topics = new BridgeSettings.Topics(prefix + ".customer", prefix + ".seller", prefix + ".refund",
                prefix + ".outbound", prefix + ".results", prefix + ".dlq", prefix + ".state");
        try (Admin admin = clients.admin(prefix + "-admin")) {
            admin.createTopics(List.of(new NewTopic(topics.state(), 3, (short) 1),
                    new NewTopic(topics.customerMessages(), 1, (short) 1), new NewTopic(topics.sellerMessages(), 1, (short) 1),
                    new NewTopic(topics.refundMessages(), 1, (short) 1))).all().get();
        }
        BridgeSettings.Lectronz settings = new BridgeSettings.Lectronz("https://lectronz.test/api/v1", "test-token",
                Duration.ofMillis(300), 20, reconcileInterval, 4, markRead);
        InboundAccount account = new InboundAccount("default", settings.baseUrl(), settings.apiToken(), "store-" + prefix,
                topics.state());
        session = InboundSession.of(settings, topics, account, clients, api.apply(lectronz), fetchers, leading::get,
                registry);
        session.start();
        scan = new InboundScan(session);
        publish = new InboundPublish(session);
        markAsRead = new InboundMarkAsRead(session);
        reader = clients.consumer(prefix + "-reader", prefix + "-reader");
        reader.subscribe(List.of(topics.customerMessages(), topics.sellerMessages(), topics.refundMessages()));
    }

    InboundSessionFixture(String name) throws Exception {
        this(name, Duration.ofHours(1), false, api -> api);
    }

    /** One run of the poll route: scan, publish, mark as read. */
    InboundRun poll() {
        InboundRun run = publish.publish(scan.scan());
        markAsRead.markAsRead(run);
        return run;
    }

    /** Waits until the inbound topics hold {@code n} committed records, and returns them. */
    List<ConsumerRecord<String, byte[]>> awaitRecords(int n) {
        Awaitility.await(n + " committed records").atMost(Duration.ofSeconds(60)).until(() -> {
            reader.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= n;
        });
        return List.copyOf(records);
    }

    /** The count of a counter, summed over its tags. */
    double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Override
    public void close() {
        session.stop();
        reader.close();
        fetchers.shutdownNow();
    }
}
