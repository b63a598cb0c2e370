package io.ipnpipeline.ops.reconcile;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import java.util.Optional;

/** How the ledger stands against a payment NOWPayments reports finished. */
public enum Verdict {
    /** The ledger has it finished (placed, parked or in review: the pipeline's own business from there). */
    IN_SYNC,
    /** The ledger has no row: the IPN never arrived, or never got through. Injected. */
    MISSING,
    /** The ledger has an earlier status that finished moves forward from. Injected. */
    BEHIND,
    /** The ledger has a final status finished cannot follow (failed, expired, refunded): a human must look. */
    CONFLICT;

    /**
     * The forward rule decides, as everywhere: a finished IPN at its lowest possible progress (parked) is compared
     * with the ledger's row through {@link Progress#advances}, so a row anywhere at finished is in sync and a row at
     * any status finished may follow is behind.
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
        return recorded.get() == PaymentStatus.FINISHED ? IN_SYNC : CONFLICT;
    }

    /** What the ledger holds for one payment. */
    public record LedgerRow(long paymentId, String status, int statusRank, String statusWord) {
    }
}
