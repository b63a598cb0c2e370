package io.ipnpipeline.contracts.status;

import java.util.Locale;
import java.util.Optional;

/**
 * A NOWPayments {@code payment_status}, with the one set of rules for which move is forward.
 *
 * <p>The rules, in one place (the processor's dedupe and the sink's SQL both follow them):
 * <ol>
 *   <li>waiting &lt; confirming &lt; confirmed &lt; sending &lt; partially_paid &lt; finished: a move to a
 *       higher rank is forward; a repeat or a move to a lower rank is not.</li>
 *   <li>failed and expired are final: nothing moves after them.</li>
 *   <li>finished is final except for refunded, which may follow it.</li>
 *   <li>refunded is final.</li>
 * </ol>
 * Ranks are stable numbers because the ledger stores them ({@code payments.status_rank}).
 */
public enum PaymentStatus {
    WAITING("waiting", 1),
    CONFIRMING("confirming", 2),
    CONFIRMED("confirmed", 3),
    SENDING("sending", 4),
    PARTIALLY_PAID("partially_paid", 5),
    FINISHED("finished", 6),
    FAILED("failed", 7),
    EXPIRED("expired", 7),
    REFUNDED("refunded", 8);

    private final String wire;
    private final int rank;

    PaymentStatus(String wire, int rank) {
        this.wire = wire;
        this.rank = rank;
    }

    /** The word NOWPayments sends. */
    public String wire() {
        return wire;
    }

    public int rank() {
        return rank;
    }

    /** Whether a payment recorded in this status may move to {@code next}. */
    public boolean canAdvanceTo(PaymentStatus next) {
        if (next == this || isFinal()) {
            return false;
        }
        if (this == FINISHED) {
            return next == REFUNDED;
        }
        return next.rank > rank;
    }

    /** No status can follow (failed, expired, refunded). */
    public boolean isFinal() {
        return this == FAILED || this == EXPIRED || this == REFUNDED;
    }

    /** Parses the wire word; case-insensitive because the field has been seen upper-cased in hand-made IPNs. */
    public static Optional<PaymentStatus> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (PaymentStatus status : values()) {
            if (status.wire.equals(wanted)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
