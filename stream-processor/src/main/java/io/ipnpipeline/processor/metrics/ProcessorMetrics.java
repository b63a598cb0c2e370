package io.ipnpipeline.processor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The processor's own counters, next to the Kafka Streams metrics bound into the same registry. Counted when a
 * record is handled, so a transaction aborted after a crash may count a record twice: the counters show rates
 * and trouble, {@code payments.enriched} and the ledger are the exact record.
 */
public final class ProcessorMetrics {

    public static final String DLQ = "ipn.processor.dlq";
    public static final String DEDUPE_DROPPED = "ipn.processor.dedupe.dropped";
    public static final String DEDUPE_EXPIRED = "ipn.processor.dedupe.expired";
    public static final String PARKED = "ipn.processor.parked";
    public static final String RELEASED = "ipn.processor.released";
    public static final String NEEDS_REVIEW = "ipn.processor.needs_review";
    public static final String EMITTED = "ipn.processor.emitted";

    /** Why a status was dropped by the dedupe step. */
    public enum DropKind {
        /** The same status again: a NOWPayments retry or a duplicate delivery. */
        REPEAT,
        /** A status that is not forward of the recorded one: late, reordered, or after a final status. */
        REGRESSION
    }

    private final MeterRegistry registry;

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** For code run outside a service (handlers configured without one): counts go nowhere visible. */
    public static ProcessorMetrics detached() {
        return new ProcessorMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void deadLettered(String stage) {
        Counter.builder(DLQ).description("records sent to the IPN dead-letter topic")
                .tag("stage", stage).register(registry).increment();
    }

    public void dropped(DropKind kind) {
        Counter.builder(DEDUPE_DROPPED).description("IPNs dropped because their status is not a forward move")
                .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    public void expired(long count) {
        Counter.builder(DEDUPE_EXPIRED).description("dedupe entries purged after the retention")
                .register(registry).increment(count);
    }

    public void parked() {
        Counter.builder(PARKED).description("payments parked awaiting a channel mapping")
                .register(registry).increment();
    }

    public void released() {
        Counter.builder(RELEASED).description("parked payments released once their channel mapping arrived")
                .register(registry).increment();
    }

    public void needsReview() {
        Counter.builder(NEEDS_REVIEW).description("payments emitted as needs_review")
                .register(registry).increment();
    }

    public void emitted(String statusWord) {
        Counter.builder(EMITTED).description("records written to payments.enriched")
                .tag("status_word", statusWord).register(registry).increment();
    }

    /** Current count of a counter, for tests and logs; 0 if it never counted. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
