package io.marketplacebridge.sandbox;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which requests go wrong: first the deterministic "next n requests under a path" rules tests queue (in the
 * order they were queued), else the random rates benchmarks set. Lock-free: the request path costs one scan
 * of a usually empty queue and one random number.
 */
final class Faults {

    enum Kind { FAIL, RATE_LIMIT, HANG }

    /** What to do to one request: answer {@code status}, answer 429 with Retry-After, or hang then answer. */
    record Fault(Kind kind, int status, int retryAfterSeconds, Duration hang) {
    }

    /** Applies to requests under {@code pathPrefix}, or (when {@code endpoint} is set) to that endpoint only. */
    private record Rule(String pathPrefix, Endpoint endpoint, Fault fault, AtomicInteger remaining) {
        boolean take(String path, Endpoint requested) {
            if (endpoint != null ? endpoint != requested : !path.startsWith(pathPrefix)) {
                return false;
            }
            for (int left = remaining.get(); left > 0; left = remaining.get()) {
                if (remaining.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Queue<Rule> rules = new ConcurrentLinkedQueue<>();
    volatile Duration latency;
    volatile double errorRate;
    volatile double rateLimitRate;
    volatile int retryAfterSeconds;
    volatile double hangRate;
    volatile Duration hangDuration;

    Faults(SandboxOptions options) {
        latency = options.latency();
        errorRate = options.errorRate();
        rateLimitRate = options.rateLimitRate();
        retryAfterSeconds = options.retryAfterSeconds();
        hangRate = options.hangRate();
        hangDuration = options.hangDuration();
    }

    void add(String pathPrefix, int count, Fault fault) {
        if (count > 0) {
            rules.add(new Rule(pathPrefix == null ? "" : pathPrefix, null, fault, new AtomicInteger(count)));
        }
    }

    void add(Endpoint endpoint, int count, Fault fault) {
        if (count > 0) {
            rules.add(new Rule("", endpoint, fault, new AtomicInteger(count)));
        }
    }

    void clear() {
        rules.clear();
    }

    /** The fault for this request, or null when it is served normally. */
    Fault next(String path, Endpoint endpoint) {
        for (Rule rule : rules) {
            if (rule.take(path, endpoint)) {
                return rule.fault();
            }
            if (rule.remaining().get() <= 0) {
                rules.remove(rule);
            }
        }
        double errors = errorRate;
        double limits = rateLimitRate;
        double hangs = hangRate;
        if (errors + limits + hangs == 0) {
            return null;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        if (r < errors) {
            return new Fault(Kind.FAIL, 500, 0, null);
        }
        if (r < errors + limits) {
            return new Fault(Kind.RATE_LIMIT, 429, retryAfterSeconds, null);
        }
        if (r < errors + limits + hangs) {
            return new Fault(Kind.HANG, 0, 0, hangDuration);
        }
        return null;
    }
}
