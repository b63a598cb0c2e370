package io.ipnpipeline.ops.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one reconciliation run found.
 *
 * @param listed     payments NOWPayments listed in the window
 * @param finished   of those, reported finished
 * @param verdicts   count per verdict, over the finished ones
 * @param injected   payment ids sent to {@code ipn.raw} (none in a dry run)
 * @param conflicts  payment ids whose ledger status is final and not finished
 * @param inReview   payment ids the ledger holds finished in needs_review (see {@link Verdict#IN_REVIEW})
 * @param unusable   finished entries without a usable payment_id, skipped
 */
public record ReconcileReport(Instant from, Instant to, long listed, long finished, Map<Verdict, Long> verdicts,
        List<Long> injected, List<Long> conflicts, List<Long> inReview, long unusable, boolean dryRun) {

    public ReconcileReport {
        verdicts = Map.copyOf(verdicts);
        injected = List.copyOf(injected);
        conflicts = List.copyOf(conflicts);
        inReview = List.copyOf(inReview);
    }

    public long count(Verdict verdict) {
        return verdicts.getOrDefault(verdict, 0L);
    }

    public String summary() {
        return String.format(Locale.ROOT, "reconcile %s..%s: listed=%d finished=%d in_sync=%d missing=%d behind=%d conflict=%d"
                        + " in_review=%d unusable=%d %s=%d", from, to, listed, finished, count(Verdict.IN_SYNC),
                count(Verdict.MISSING), count(Verdict.BEHIND), count(Verdict.CONFLICT), count(Verdict.IN_REVIEW),
                unusable,
                dryRun ? "would_inject" : "injected", dryRun ? count(Verdict.MISSING) + count(Verdict.BEHIND)
                        : injected.size());
    }
}
