package io.ipnpipeline.sink.batch;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a batch of records becomes ledger statements. {@code ON CONFLICT DO UPDATE} cannot touch one row twice
 * in a statement, so each statement ("wave") holds at most one row per payment. The plan gives exactly the
 * result of applying the records one by one in offset order:
 * <ol>
 *   <li>A later record with the same status and rank as an earlier one of the same payment is dropped: one by
 *       one it would be rejected (the states that reject a record only grow as the payment moves forward).</li>
 *   <li>If the remaining records form a chain (each {@link Progress#advances advances} over the one before),
 *       only the last is upserted: the ledger accepts it iff it accepts any of them. A placed finished record in
 *       the chain rides along as {@link PlannedRow#finishing}; the SQL counts it iff the stored state could
 *       advance to it, which is exactly when one-by-one it would have been applied.</li>
 *   <li>Otherwise (never produced by the processor, which applies the same rule) the records go one per wave,
 *       in order.</li>
 * </ol>
 * The properties this relies on (transitivity, rejection being upward closed) are checked for every
 * combination in {@code BatchPlanTest}.
 */
public record BatchPlan(List<List<PlannedRow>> waves, int recordCount) {

    public BatchPlan {
        waves = waves.stream().map(List::copyOf).toList();
    }

    public static BatchPlan of(List<EnrichedPayment> recordsInOffsetOrder) {
        Map<Long, List<EnrichedPayment>> byPayment = new LinkedHashMap<>();
        for (EnrichedPayment record : recordsInOffsetOrder) {
            byPayment.computeIfAbsent(record.paymentId(), id -> new ArrayList<>()).add(record);
        }
        List<List<PlannedRow>> waves = new ArrayList<>();
        for (List<EnrichedPayment> records : byPayment.values()) {
            List<PlannedRow> rows = plan(withoutRepeats(records));
            for (int i = 0; i < rows.size(); i++) {
                if (waves.size() <= i) {
                    waves.add(new ArrayList<>());
                }
                waves.get(i).add(rows.get(i));
            }
        }
        return new BatchPlan(waves, recordsInOffsetOrder.size());
    }

    public boolean isEmpty() {
        return waves.isEmpty();
    }

    public int rowCount() {
        return waves.stream().mapToInt(List::size).sum();
    }

    private static List<EnrichedPayment> withoutRepeats(List<EnrichedPayment> records) {
        List<EnrichedPayment> kept = new ArrayList<>();
        for (EnrichedPayment record : records) {
            boolean repeat = kept.stream().anyMatch(earlier -> earlier.status() == record.status()
                    && earlier.progressRank() == record.progressRank());
            if (!repeat) {
                kept.add(record);
            }
        }
        return kept;
    }

    private static List<PlannedRow> plan(List<EnrichedPayment> records) {
        if (isChain(records)) {
            EnrichedPayment finishing = records.stream().filter(PlannedRow::isFinishing).findFirst().orElse(null);
            return List.of(new PlannedRow(records.get(records.size() - 1), finishing));
        }
        return records.stream()
                .map(record -> new PlannedRow(record, PlannedRow.isFinishing(record) ? record : null))
                .toList();
    }

    private static boolean isChain(List<EnrichedPayment> records) {
        for (int i = 1; i < records.size(); i++) {
            EnrichedPayment before = records.get(i - 1);
            EnrichedPayment after = records.get(i);
            if (!Progress.advances(before.status(), before.progressRank(), after.status(), after.progressRank())) {
                return false;
            }
        }
        return true;
    }
}
