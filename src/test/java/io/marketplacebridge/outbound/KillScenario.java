package io.marketplacebridge.outbound;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

/**
 * kill -9 twice while commands stream through a bridge in its own JVM (Alephee sends, sandbox latency), then
 * counts results per command record (read_committed) and sends per command at the sandbox. Shared by
 * {@link OutboundKillTest} and the benchmark.
 */
public final class KillScenario {

    /**
     * @param resultsPerSource results per command record, keyed by its source partition/offset
     * @param sendsPerOrder    how often the sandbox received each command (one order id per command)
     */
    public record Outcome(int commands, List<ConsumerRecord<String, byte[]>> results, Map<String, Long> resultsPerSource,
                          Map<Long, Long> sendsPerOrder, List<Integer> resultsAtKills, int concurrency) {
        public long withExactlyOneResult() {
            return resultsPerSource.values().stream().filter(n -> n == 1).count();
        }

        public long withSeveralResults() {
            return resultsPerSource.values().stream().filter(n -> n > 1).count();
        }

        public long sentMoreThanOnce() {
            return sendsPerOrder.values().stream().filter(n -> n > 1).count();
        }

        public long sends() {
            return sendsPerOrder.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Sends beyond one per command: what the killed instances had in flight. */
        public long resends() {
            return sends() - sendsPerOrder.size();
        }

        /**
         * The most a kill -9 may cost (SPEC 7): the commands in flight, at most {@code concurrency}. Those finished
         * and not yet committed left delivery receipts, so they are not sent again.
         */
        public long resendBound() {
            return (long) resultsAtKills.size() * concurrency;
        }
    }

    private KillScenario() {
    }

    public static Outcome run(int commands, int keys, Duration latency) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0).withLatency(latency).withAlepheeRateLimit(0));
             OutboundKafka kafka = new OutboundKafka()) {
            Map<String, String> props = kafka.bridgeProperties(sandbox);
            int concurrency = 4;
            props.put("bridge.outbound.concurrency", String.valueOf(concurrency));
            List<Integer> resultsAtKills = new java.util.ArrayList<>();
            BridgeProcess bridge = BridgeProcess.start(props).awaitStarted();
            try {
                kafka.awaitTopics();
                for (int i = 0; i < commands; i++) {
                    kafka.sendNoWait("k" + (i % keys), "{\"channel\":\"alephee\",\"orderId\":" + (3_000_000 + i) + ",\"content\":\"reply " + i + "\"}");
                }
                kafka.flush();
                for (int threshold : new int[] {commands / 6, commands / 2}) {
                    kafka.results(threshold, Duration.ofMinutes(2));
                    bridge.kill9();
                    resultsAtKills.add(kafka.results(0, Duration.ZERO).size());
                    bridge = BridgeProcess.start(props).awaitStarted();
                }
                kafka.results(commands, Duration.ofMinutes(3));
                // offsets are committed in the results' transaction: once they cover every command, no result is pending
                Awaitility.await("all command offsets committed").atMost(Duration.ofMinutes(1))
                        .until(() -> kafka.committedCommands() == commands);
                List<ConsumerRecord<String, byte[]>> all = kafka.results(commands, Duration.ofSeconds(1));
                Map<String, Long> perSource = OutboundKafka.resultsPerSource(all);
                Map<Long, Long> sends = new HashMap<>();
                sandbox.alepheeMessages().forEach(m -> sends.merge(m.orderId(), 1L, Long::sum));
                return new Outcome(commands, all, perSource, sends, resultsAtKills, concurrency);
            } finally {
                bridge.close();
            }
        }
    }
}
