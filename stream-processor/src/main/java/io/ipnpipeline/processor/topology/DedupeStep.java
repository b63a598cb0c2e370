package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.metrics.ProcessorMetrics.DropKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2: lets a payment's IPN through only if its status is a forward move from the one recorded
 * ({@link PaymentStatus#canAdvanceTo}). Exact repeats and regressions are dropped and counted.
 *
 * <p>Entries are purged {@code retention} after their last accepted change, so the store does not grow without
 * bound. An IPN for a purged payment is treated as new and passes; that is safe because the sink's ledger
 * applies the same forward-only rule and issues commands at most once, so the sink is the final guard.
 */
final class DedupeStep implements FixedKeyProcessor<String, ParsedIpn.Usable, ParsedIpn.Usable> {

    /**
     * How often a slice of the store is checked for expired entries. Each punctuation runs inside the open
     * transaction, so it must stay short however large the store grows: it reads at most {@link #PURGE_SLICE}
     * entries and the next one goes on from there (360 slices an hour: 3.6 million entries checked per hour).
     */
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(10);
    static final int PURGE_SLICE = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DedupeStep.class);

    private final String storeName;
    private final Duration retention;
    private final ProcessorMetrics metrics;
    private final int purgeSlice;
    private FixedKeyProcessorContext<String, ParsedIpn.Usable> context;
    private KeyValueStore<String, DedupeEntry> store;
    /** Where the next purge slice starts; null: at the first key. In memory only: after a restart it starts over. */
    private String purgeFrom;

    DedupeStep(String storeName, Duration retention, ProcessorMetrics metrics, int purgeSlice) {
        this.storeName = storeName;
        this.retention = retention;
        this.metrics = metrics;
        this.purgeSlice = purgeSlice;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ParsedIpn.Usable> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purgeExpired);
    }

    @Override
    public void process(FixedKeyRecord<String, ParsedIpn.Usable> record) {
        PaymentStatus next = record.value().ipn().status();
        DedupeEntry current = store.get(record.key());
        if (current == null || current.status().canAdvanceTo(next) || retriedOnPurpose(record, current.status())) {
            store.put(record.key(), DedupeEntry.accepted(next, context.currentSystemTimeMs()));
            context.forward(record);
            return;
        }
        DropKind kind = current.status() == next ? DropKind.REPEAT : DropKind.REGRESSION;
        metrics.dropped(kind);
        LOG.info("payment_id={} status={} outcome=dropped kind={} recorded={}", record.key(), next.wire(),
                kind.word(), current.status().wire());
    }

    /**
     * An operator's retry ({@link IpnProvenance#retriedOnPurpose}) passes at the status already recorded: the
     * status is recorded here before the later steps run, so a record they dead-lettered would otherwise be dropped
     * as a repeat when retried, and the payment never applied. The sink's forward rule still makes a true repeat
     * change nothing and issue no command twice; regressions are still dropped.
     */
    private static boolean retriedOnPurpose(FixedKeyRecord<String, ParsedIpn.Usable> record, PaymentStatus recorded) {
        return record.value().ipn().status() == recorded
                && IpnProvenance.retriedOnPurpose(name -> ParseStep.header(record.headers(), name));
    }

    private void purgeExpired(long nowMs) {
        long cutoff = nowMs - retention.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, DedupeEntry> entries = store.range(purgeFrom, null)) {
            for (int read = 0; read < purgeSlice && entries.hasNext(); read++) {
                KeyValue<String, DedupeEntry> entry = entries.next();
                if (entry.value.acceptedAtMs() < cutoff) {
                    expired.add(entry.key);
                }
            }
            purgeFrom = entries.hasNext() ? entries.peekNextKey() : null;
        }
        expired.forEach(store::delete);
        if (!expired.isEmpty()) {
            metrics.expired(expired.size());
            LOG.info("purged {} dedupe entries older than {}", expired.size(), retention);
        }
    }
}
