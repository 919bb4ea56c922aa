package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SPEC 8 + 6: two bridge JVMs share one outbound consumer group. Commands stream in over 6 partitions and
 * 40 keys; a second instance joins mid-stream (rebalance), then the first is killed with kill -9 (its
 * partitions move to the second after the 10 s session timeout). Read_committed, every command record has
 * exactly one result.
 * <p>
 * Order rule checked per key on what the sandbox received: dropping repeats, the commands arrive in produce
 * order (the first delivery of command n+1 never precedes the first delivery of command n), and a repeat is
 * only ever of a command already delivered. Repeats (re-sends of commands the killed instance had in flight
 * or finished but not committed) are allowed and counted.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundScaleOutTest {

    private static final int COMMANDS = 400;
    private static final int KEYS = 40;
    private static final long FIRST_ORDER = 4_000_000;
    private static final Pattern DELIVERED_ORDER = Pattern.compile("outbound \\S+ alephee send order (\\d+) -> DELIVERED");

    @Test
    void twoInstancesShareTheWorkAndEveryCommandGetsExactlyOneResult() throws Exception {
        long t0 = System.nanoTime();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withLatency(Duration.ofMillis(15))
                .withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            props.put("kafka.topic.partitions", "6");
            props.put("bridge.outbound.concurrency", "4");
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
            BridgeProcess first = BridgeProcess.start(props).awaitStarted();
            BridgeProcess second = null;
            try {
                kafka.awaitTopics();
                // a stream, not a bulk load: one command every 75 ms (30 s), so the second instance joins (a
                // cooperative rebalance: the first gives partitions back) and the first is killed while commands arrive
                AtomicInteger produced = new AtomicInteger();
                producer.scheduleAtFixedRate(() -> {
                    int i = produced.getAndIncrement();
                    if (i < COMMANDS) {
                        // acknowledged one by one: a command lost by the test's producer would look like one lost by the bridge
                        kafka.send("k" + (i % KEYS), "{\"channel\":\"alephee\",\"orderId\":" + (FIRST_ORDER + i)
                                + ",\"content\":\"reply " + i + "\"}");
                    }
                }, 0, 75, TimeUnit.MILLISECONDS);

                second = BridgeProcess.start(props).awaitStarted();
                int producedWhenSecondStarted = Math.min(produced.get(), COMMANDS);
                BridgeProcess joined = second;
                Awaitility.await("second instance delivers after the rebalance").atMost(Duration.ofSeconds(30))
                        .until(() -> !deliveredOrders(joined).isEmpty());
                int producedAtKill = Math.min(produced.get(), COMMANDS);
                Awaitility.await("first instance delivered something").atMost(Duration.ofSeconds(5))
                        .until(() -> !deliveredOrders(first).isEmpty());
                List<Long> deliveredByFirst = deliveredOrders(first);
                first.kill9();
                int resultsAtKill = kafka.results(0, Duration.ZERO).size();

                Awaitility.await("all commands produced").atMost(Duration.ofSeconds(90)).until(() -> produced.get() >= COMMANDS);
                kafka.flush();
                try {
                    kafka.results(COMMANDS, Duration.ofSeconds(45));
                } catch (AssertionError e) {
                    System.out.println("DIAG committed: " + kafka.committedOffsets());
                    System.out.println("DIAG second log:\n" + second.log());
                    throw e;
                }
                // offsets are committed in the results' transaction: once they cover every command, no result is pending
                Awaitility.await("all command offsets committed").atMost(Duration.ofSeconds(30))
                        .until(() -> kafka.committedCommands() == COMMANDS);
                List<ConsumerRecord<String, byte[]>> results = kafka.results(COMMANDS, Duration.ofSeconds(1));

                Map<String, Long> perSource = OutboundKafka.resultsPerSource(results);
                assertEquals(COMMANDS, perSource.size(), "every command record has a result");
                assertEquals(List.of(), perSource.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(),
                        "command records with more than one result");
                assertEquals(COMMANDS, results.size());
                assertTrue(results.stream().allMatch(r -> "DELIVERED".equals(OutboundKafka.json(r.value()).get("status").asText())),
                        "all DELIVERED");

                List<Long> received = sandbox.alepheeMessages().stream().map(m -> m.orderId()).toList();
                Map<Long, Long> sends = received.stream().collect(Collectors.groupingBy(o -> o, Collectors.counting()));
                assertEquals(COMMANDS, sends.size(), "every command reached the sandbox");
                Map<Long, List<Long>> perKey = new HashMap<>();
                received.forEach(o -> perKey.computeIfAbsent((o - FIRST_ORDER) % KEYS, k -> new ArrayList<>()).add(o));
                for (var e : perKey.entrySet()) {
                    List<Long> firsts = new ArrayList<>(new LinkedHashSet<>(e.getValue()));
                    List<Long> sorted = firsts.stream().sorted().toList();
                    assertEquals(sorted, firsts, "key k" + e.getKey() + ": first deliveries in produce order; received " + e.getValue());
                }

                List<Long> deliveredBySecond = deliveredOrders(second);
                assertFalse(deliveredByFirst.isEmpty(), "the first instance delivered commands");
                assertFalse(deliveredBySecond.isEmpty(), "the second instance delivered commands");
                long resent = sends.values().stream().filter(n -> n > 1).count();
                assertTrue(resultsAtKill > 0 && resultsAtKill < COMMANDS, "the kill landed mid-stream: " + resultsAtKill + " results");
                // one kill -9: at most what the killed instance had on the wire or finished but not committed (< 2 x concurrency)
                assertTrue(received.size() - COMMANDS <= 2 * 4, "re-sends " + (received.size() - COMMANDS) + " exceed what was in flight");
                System.out.printf("OutboundScaleOutTest: %d commands / %d keys / 6 partitions in %.1f s; second instance started after "
                                + "%d produced, first killed after %d produced; DELIVERED lines: first %d, second %d; "
                                + "commands the sandbox received twice or more: %d (%d extra sends)%n",
                        COMMANDS, KEYS, (System.nanoTime() - t0) / 1e9, producedWhenSecondStarted, producedAtKill,
                        deliveredByFirst.size(), deliveredBySecond.size(), resent,
                        received.size() - COMMANDS);
            } finally {
                producer.shutdownNow();
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    /** Order ids the instance logged as DELIVERED. */
    private static List<Long> deliveredOrders(BridgeProcess bridge) throws Exception {
        List<Long> orders = new ArrayList<>();
        Matcher m = DELIVERED_ORDER.matcher(bridge.log());
        while (m.find()) {
            orders.add(Long.parseLong(m.group(1)));
        }
        return orders;
    }
}
