package io.ipnpipeline.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway's meters, named in one place. */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong receivingBytes = new AtomicLong();
    private final Timer publishLatency;
    private final PollTracker polls = new PollTracker(PollTracker.DEFAULT_LIMIT, PollTracker.DEFAULT_CAPACITY);
    private final Counter pollsOverLimit;
    private final Counter ordersOverLimit;
    /**
     * Counters by route and outcome, looked up once: building a meter id and finding it in the registry on
     * every request costs more than the increment itself.
     */
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> signatureFailures = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("gateway.ipn.in.flight", inFlight, AtomicInteger::get)
                .description("IPNs received and not yet answered")
                .register(registry);
        Gauge.builder("gateway.ipn.receiving.bytes", receivingBytes, AtomicLong::get)
                .description("Bytes reserved for IPN bodies still arriving (bounded by IPN_MAX_RECEIVING_BYTES)")
                .baseUnit("bytes")
                .register(registry);
        this.publishLatency = Timer.builder("gateway.ipn.publish.latency")
                .description("From handing a record to the producer until the broker's ack")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        this.pollsOverLimit = Counter.builder("gateway.status.polls.over.limit")
                .description("Status polls of an order beyond its " + PollTracker.DEFAULT_LIMIT + "th")
                .register(registry);
        this.ordersOverLimit = Counter.builder("gateway.status.orders.over.limit")
                .description("Orders polled more than " + PollTracker.DEFAULT_LIMIT + " times (counted once each)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** Bytes of buffers held for IPN bodies still arriving, over all event loops. */
    public AtomicLong receivingBytes() {
        return receivingBytes;
    }

    public Timer publishLatency() {
        return publishLatency;
    }

    /** Every answered request, by route template and outcome word. */
    public void request(String route, String outcome) {
        requestCounter(route, outcome).increment();
    }

    /**
     * Creates these counters at zero now. Prometheus cannot see a series that appears already at 1: the first
     * 503 or signature failure after a restart would be missing from {@code increase()}, and an alert on it silent.
     */
    public void declare(String route, Collection<String> outcomes, Collection<String> signatureFailureReasons) {
        outcomes.forEach(outcome -> requestCounter(route, outcome));
        signatureFailureReasons.forEach(this::signatureFailureCounter);
    }

    private Counter requestCounter(String route, String outcome) {
        return requests.computeIfAbsent(route, ignored -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, ignored -> Counter.builder("gateway.requests")
                        .description("Answered HTTP requests by route and outcome")
                        .tag("route", route)
                        .tag("outcome", outcome)
                        .register(registry));
    }

    /** One status poll of a valid order id; {@code orderKey} never leaves this object. */
    public void statusPolled(String orderKey) {
        PollTracker.Poll poll = polls.record(orderKey);
        if (poll != PollTracker.Poll.WITHIN) {
            pollsOverLimit.increment();
        }
        if (poll == PollTracker.Poll.CROSSED) {
            ordersOverLimit.increment();
        }
    }

    /** {@code reason}: missing or mismatch. */
    public void signatureFailure(String reason) {
        signatureFailureCounter(reason).increment();
    }

    private Counter signatureFailureCounter(String reason) {
        return signatureFailures.computeIfAbsent(reason, ignored -> Counter.builder("gateway.ipn.signature.failures")
                .description("IPNs rejected for a missing or wrong signature")
                .tag("reason", reason)
                .register(registry));
    }

    /** IPN requests refused by {@code IPN_ALLOWED_SOURCES}: a rise means a misconfigured list or a probe. */
    public void sourceRejected() {
        Counter.builder("gateway.ipn.source.rejected")
                .description("IPN requests from a source outside IPN_ALLOWED_SOURCES (403)")
                .register(registry)
                .increment();
    }

    /** {@code kind}: what went wrong, e.g. timeout or the producer's exception class. */
    public void producerError(String kind) {
        Counter.builder("gateway.kafka.producer.errors")
                .description("Records the producer failed or did not acknowledge in time")
                .tag("kind", kind)
                .register(registry)
                .increment();
    }
}
