package io.ipnpipeline.sink.batch;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.util.Objects;

/**
 * One row of one ledger statement: the record to upsert for a payment, and the record that finishes it if
 * the collapsed records contained a placed {@code finished} one (its data feeds the commands and the renewal
 * even when a later status, e.g. refunded, is what the ledger ends up holding).
 */
public record PlannedRow(EnrichedPayment latest, EnrichedPayment finishing) {

    public PlannedRow {
        Objects.requireNonNull(latest, "latest");
        if (finishing != null && !isFinishing(finishing)) {
            throw new IllegalArgumentException("not a placed finished record: " + finishing.paymentId());
        }
    }

    public long paymentId() {
        return latest.paymentId();
    }

    /** A record that, if the ledger accepts it, is the payment's first transition to finished. */
    public static boolean isFinishing(EnrichedPayment payment) {
        return payment.status() == PaymentStatus.FINISHED && payment.isPlaced();
    }

    /** The placed record whose user, channel and payout data describe this row, or null if none is placed. */
    public EnrichedPayment placedView() {
        return latest.isPlaced() ? latest : finishing;
    }
}
