package io.ipnpipeline.processor.metrics;

import io.ipnpipeline.contracts.status.StatusWord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processor's own counters, next to the Kafka Streams metrics bound into the same registry. Counted when a
 * record is handled, so a transaction aborted after a crash may count a record twice: the counters show rates
 * and trouble, {@code payments.enriched} and the ledger are the exact record.
 *
 * <p>Every counter exists at 0 from construction, for every tag value that can occur: Prometheus's
 * {@code increase()} sees nothing in a series whose first sample is already 1, so a lazily registered counter
 * hides the first dead letter (or park) after every restart, and an alert comparing two counters has nothing to
 * compare while one of them never counted.
 */
public final class ProcessorMetrics {

    public static final String DLQ = "ipn.processor.dlq";
    public static final String DEDUPE_DROPPED = "ipn.processor.dedupe.dropped";
    public static final String DEDUPE_EXPIRED = "ipn.processor.dedupe.expired";
    public static final String PARKED = "ipn.processor.parked";
    public static final String RELEASED = "ipn.processor.released";
    public static final String NEEDS_REVIEW = "ipn.processor.needs_review";
    public static final String EMITTED = "ipn.processor.emitted";

    /** Where a record was dead-lettered: the {@code stage} tag of {@link #DLQ}, and the start of its reason. */
    public enum DlqStage {
        /** The processor's parse step: not an IPN it can use. */
        PARSE("parse"),
        /** Kafka Streams could not read the record's key or value. */
        DESERIALIZATION("deserialization"),
        /** A processor threw. */
        PROCESSING("processing"),
        /** An output record is too large to write. */
        PRODUCTION("production"),
        /** An output record cannot be serialised. */
        SERIALIZATION("serialization");

        private final String word;

        DlqStage(String word) {
            this.word = word;
        }

        /** The metric tag and the reason's first word. */
        public String word() {
            return word;
        }
    }

    /** Why a status was dropped by the dedupe step. */
    public enum DropKind {
        /** The same status again: a NOWPayments retry or a duplicate delivery. */
        REPEAT,
        /** A status that is not forward of the recorded one: late, reordered, or after a final status. */
        REGRESSION;

        /** The metric tag and log word. */
        public String word() {
            return this == REPEAT ? "repeat" : "regression";
        }
    }

    private final MeterRegistry registry;
    /**
     * Counters by name, then by tag value, registered once: counted on every record, and a registry look-up (id
     * building, tag sorting, a concurrent map) per count is a visible share of the per-record work. Two look-ups
     * by constant strings (their hashes cached) build no key per count.
     */
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (DlqStage stage : DlqStage.values()) {
            dlqCounter(stage);
        }
        for (DropKind kind : DropKind.values()) {
            droppedCounter(kind);
        }
        for (StatusWord word : StatusWord.values()) {
            emittedCounter(word.word());
        }
        expiredCounter();
        parkedCounter();
        releasedCounter();
        needsReviewCounter();
    }

    private Counter counter(String name, String description, String tagKey, String tagValue) {
        Map<String, Counter> byTag = counters.get(name);
        if (byTag == null) {
            byTag = counters.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
        }
        String tag = tagKey == null ? "" : tagValue;
        Counter counter = byTag.get(tag);
        if (counter == null) {
            Counter.Builder builder = Counter.builder(name).description(description);
            counter = byTag.computeIfAbsent(tag,
                    k -> (tagKey == null ? builder : builder.tag(tagKey, tagValue)).register(registry));
        }
        return counter;
    }

    /** For code run outside a service (handlers configured without one): counts go nowhere visible. */
    public static ProcessorMetrics detached() {
        return new ProcessorMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void deadLettered(DlqStage stage) {
        dlqCounter(stage).increment();
    }

    public void dropped(DropKind kind) {
        droppedCounter(kind).increment();
    }

    public void expired(long count) {
        expiredCounter().increment(count);
    }

    public void parked() {
        parkedCounter().increment();
    }

    public void released() {
        releasedCounter().increment();
    }

    public void needsReview() {
        needsReviewCounter().increment();
    }

    public void emitted(String statusWord) {
        emittedCounter(statusWord).increment();
    }

    private Counter dlqCounter(DlqStage stage) {
        return counter(DLQ, "records sent to the IPN dead-letter topic", "stage", stage.word());
    }

    private Counter droppedCounter(DropKind kind) {
        return counter(DEDUPE_DROPPED, "IPNs dropped because their status is not a forward move", "kind", kind.word());
    }

    private Counter expiredCounter() {
        return counter(DEDUPE_EXPIRED, "dedupe entries purged after the retention", null, null);
    }

    private Counter parkedCounter() {
        return counter(PARKED, "payments parked awaiting a channel mapping", null, null);
    }

    private Counter releasedCounter() {
        return counter(RELEASED, "parked payments released once their channel mapping arrived", null, null);
    }

    private Counter needsReviewCounter() {
        return counter(NEEDS_REVIEW, "payments emitted as needs_review", null, null);
    }

    private Counter emittedCounter(String statusWord) {
        return counter(EMITTED, "records written to payments.enriched", "status_word", statusWord);
    }

    /** Current count of a counter, for tests and logs; 0 if it never counted. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
