package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@link Progress#advances} written as SQL, for the ledger's {@code ON CONFLICT ... DO UPDATE ... WHERE}.
 * A status's own rank is {@code status_rank / 10} (see {@link Progress#rank}). {@code ForwardRuleIT} runs this
 * predicate in PostgreSQL against the Java rule for every pair of (status, phase).
 */
public final class ForwardRule {

    private static final String FINAL_STATUSES = Arrays.stream(PaymentStatus.values())
            .filter(PaymentStatus::isFinal)
            .map(status -> "'" + status.wire() + "'")
            .collect(Collectors.joining(", "));

    private ForwardRule() {
    }

    /** A boolean SQL expression: may a row at (oldStatus, oldRank) be replaced by one at (newStatus, newRank)? */
    public static String advances(String oldStatus, String oldRank, String newStatus, String newRank) {
        return "(" + newRank + " > " + oldRank
                + " AND (" + newStatus + " = " + oldStatus
                + " OR (" + oldStatus + " NOT IN (" + FINAL_STATUSES + ")"
                + " AND CASE WHEN " + oldStatus + " = '" + PaymentStatus.FINISHED.wire() + "'"
                + " THEN " + newStatus + " = '" + PaymentStatus.REFUNDED.wire() + "'"
                + " ELSE " + newRank + " / 10 > " + oldRank + " / 10 END)))";
    }
}
