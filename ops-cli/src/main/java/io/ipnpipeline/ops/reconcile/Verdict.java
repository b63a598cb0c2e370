package io.ipnpipeline.ops.reconcile;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import java.util.Optional;

/** How the ledger stands against a payment NOWPayments reports finished. */
public enum Verdict {
    /** The ledger has it finished, placed or parked (a parked payment is released when its mapping appears). */
    IN_SYNC,
    /**
     * The ledger has it finished but held in needs_review: paid, and nothing in the pipeline moves it. Not injected
     * (the processor would hold it again until its cause is fixed); reported with {@code payment retry}, which an
     * operator runs once the cause is fixed.
     */
    IN_REVIEW,
    /** The ledger has no row: the IPN never arrived, or never got through. Injected. */
    MISSING,
    /** The ledger has an earlier status that finished moves forward from. Injected. */
    BEHIND,
    /** The ledger has a final status finished cannot follow (failed, expired, refunded): a human must look. */
    CONFLICT;

    /**
     * The forward rule decides, as everywhere: a finished IPN at its lowest possible progress (parked) is compared
     * with the ledger's row through {@link Progress#advances}, so a row anywhere at finished is in sync (in review
     * when held there) and a row at any status finished may follow is behind.
     */
    public static Verdict of(Optional<LedgerRow> ledger) {
        if (ledger.isEmpty()) {
            return MISSING;
        }
        Optional<PaymentStatus> recorded = PaymentStatus.fromWire(ledger.get().status());
        if (recorded.isEmpty()) {
            // a status word the contracts do not know is a writer's bug; re-sending the truth is the safe move
            return BEHIND;
        }
        int finishedRank = Progress.rank(PaymentStatus.FINISHED, StatusWord.AWAITING_MAPPING);
        if (Progress.advances(recorded.get(), ledger.get().statusRank(), PaymentStatus.FINISHED, finishedRank)) {
            return BEHIND;
        }
        if (recorded.get() != PaymentStatus.FINISHED) {
            return CONFLICT;
        }
        return StatusWord.NEEDS_REVIEW.word().equals(ledger.get().statusWord()) ? IN_REVIEW : IN_SYNC;
    }

    /** What the ledger holds for one payment. */
    public record LedgerRow(long paymentId, String status, int statusRank, String statusWord) {
    }
}
