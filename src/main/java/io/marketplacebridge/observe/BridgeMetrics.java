package io.marketplacebridge.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * The bridge's own metrics, with the names of SPEC section 8, in one place. Micrometer names are dotted;
 * the Prometheus registry behind {@code /observe/metrics} renders {@code bridge.outbound.results} as
 * {@code bridge_outbound_results_total}, a timer in seconds, and so on. Label values are never secrets:
 * account names, channels, statuses, codes, message types.
 */
public final class BridgeMetrics {

    /** Registry name of this bean. */
    public static final String BEAN = "bridgeMetrics";

    private final Supplier<MeterRegistry> registrySource;
    private volatile MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public BridgeMetrics(MeterRegistry registry) {
        this.registrySource = () -> registry;
    }

    private BridgeMetrics(Supplier<MeterRegistry> registrySource) {
        this.registrySource = registrySource;
    }

    /**
     * The bean bound for this context, or a new one to bind. Its registry is looked up at first use: Camel's
     * micrometer support binds the Prometheus registry behind {@code /observe/metrics} after our configuration
     * ran (the global registry where metrics are off).
     */
    public static BridgeMetrics of(CamelContext context) {
        BridgeMetrics bound = context.getRegistry().lookupByNameAndType(BEAN, BridgeMetrics.class);
        if (bound != null) {
            return bound;
        }
        BridgeMetrics metrics = new BridgeMetrics(() -> context.getRegistry().findSingleByType(MeterRegistry.class));
        context.getRegistry().bind(BEAN, metrics);
        return metrics;
    }

    public MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = registrySource.get();
            if (r == null) {
                return Metrics.globalRegistry; // not bound (yet): metrics are off, or start-up is not done
            }
            registry = r;
        }
        return r;
    }

    /** One result published for a command; {@code code} is null for DELIVERED and DUPLICATE. */
    public void outboundResult(String account, String channel, String status, String code) {
        Counter.builder("bridge.outbound.results")
                .description("Outbound command results by outcome")
                .tags("account", tag(account), "channel", tag(channel), "status", tag(status), "code", tag(code))
                .register(registry()).increment();
    }

    /** Time from the command record's timestamp to its result. */
    public void outboundDelivery(String account, String channel, Duration commandToResult) {
        Timer.builder("bridge.outbound.delivery")
                .description("Command record timestamp to result, seconds")
                .tags("account", tag(account), "channel", tag(channel))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(20))
                .register(registry()).record(commandToResult.isNegative() ? Duration.ZERO : commandToResult);
    }

    /** One more attempt of a remote call after a retryable failure. */
    public void outboundRetry(String account, String channel) {
        Counter.builder("bridge.outbound.retries")
                .description("Remote call attempts repeated after 5xx/408/429/timeouts/connection errors")
                .tags("account", tag(account), "channel", tag(channel))
                .register(registry()).increment();
    }

    /** Time a command waited at the Alephee rate gate before its call. */
    public void rateGateWait(String account, Duration waited) {
        Timer.builder("bridge.outbound.rate.gate.wait")
                .description("Time commands waited for the Alephee rate limit, seconds")
                .tags("account", tag(account))
                .register(registry()).record(waited);
    }

    /** Records of the outbound topic not yet committed by the outbound consumer group. */
    public void outboundLag(long records) {
        gauge("bridge.outbound.lag.records", "Outbound consumer group lag, records", Map.of()).set(records);
    }

    public void inboundPublished(String account, String type, String event) {
        Counter.builder("lectronz.inbound.published")
                .description("Lectronz messages published to Kafka")
                .tags("account", tag(account), "type", tag(type), "event", tag(event))
                .register(registry()).increment();
    }

    /** Messages seen on the list but not yet on Kafka, as of the last poll. */
    public void inboundBacklog(String account, long messages) {
        gauge("lectronz.inbound.backlog.messages", "Lectronz messages seen but not yet published",
                Map.of("account", tag(account))).set(messages);
    }

    /** The end of the last poll that completed without error. */
    public void inboundSuccess(String account, Instant at) {
        gauge("lectronz.inbound.last.success.timestamp.seconds", "Unix time of the last successful Lectronz poll",
                Map.of("account", tag(account))).set(at.getEpochSecond());
    }

    private AtomicLong gauge(String name, String description, Map<String, String> tags) {
        return gauges.computeIfAbsent(name + tags, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.Builder<AtomicLong> b = Gauge.builder(name, value, AtomicLong::doubleValue).description(description);
            tags.forEach(b::tag);
            b.register(registry());
            return value;
        });
    }

    private static String tag(String value) {
        return value == null || value.isEmpty() ? "none" : value;
    }
}
