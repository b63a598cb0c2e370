package io.ipnpipeline.contracts.status;

/**
 * How far a payment has come through the pipeline, as one comparable number: the NOWPayments status rank,
 * then the pipeline's phase for that status. A payment parked for a missing channel mapping and then
 * released stays at the same NOWPayments status but moves from phase {@link Phase#AWAITING_MAPPING} to
 * {@link Phase#PLACED}, so the sink must accept that move as forward too.
 *
 * <p>This is the value stored in {@code payments.status_rank}. {@link #advances} is the whole rule; the sink's
 * SQL mirrors it, and a test checks the two agree on every pair.
 */
public final class Progress {

    /** The pipeline's phase within one NOWPayments status. */
    public enum Phase {
        AWAITING_MAPPING(0),
        NEEDS_REVIEW(1),
        PLACED(2);

        private final int order;

        Phase(int order) {
            this.order = order;
        }

        public int order() {
            return order;
        }

        public static Phase of(StatusWord word) {
            return switch (word) {
                case AWAITING_MAPPING -> AWAITING_MAPPING;
                case NEEDS_REVIEW -> NEEDS_REVIEW;
                default -> PLACED;
            };
        }
    }

    private Progress() {
    }

    public static int rank(PaymentStatus status, StatusWord word) {
        return status.rank() * 10 + Phase.of(word).order();
    }

    /** Whether a record at {@code (toStatus, toRank)} may replace one at {@code (fromStatus, fromRank)}. */
    public static boolean advances(PaymentStatus fromStatus, int fromRank, PaymentStatus toStatus, int toRank) {
        if (toRank <= fromRank) {
            return false;
        }
        return fromStatus == toStatus || fromStatus.canAdvanceTo(toStatus);
    }
}
