package io.ipnpipeline.contracts.status;

/**
 * Which payment of an order the customer's page shows: the one rule the sink writes into
 * {@code private_channel_users_database.payment_status} and the status API reads from the {@code payments} ledger,
 * so the two can never disagree. Every payment of a user for a channel has the same order id, so an order may have
 * an abandoned invoice, a paid one and later a renewal.
 *
 * <p>Of the order's payments (each at its latest ledger state):
 * <ol>
 *   <li>a payment that ended without money ({@code failed}, {@code expired}) never hides another payment, so an
 *       abandoned invoice cannot turn a paid order's page into "expired";</li>
 *   <li>otherwise the payment with the latest accepted change wins: a paid payment stays "confirmed" until a
 *       newer purchase actually moves (a renewal's first IPN after the finish shows "processing"), and a refund of
 *       the paid payment shows "refunded";</li>
 *   <li>changes applied at the same instant (one sink batch) prefer a paid payment ({@code confirmed},
 *       {@code refunded}), then the higher payment_id.</li>
 * </ol>
 * Only failed and expired payments: the latest of them. {@link #shows} is the same order for changes applied at
 * one instant, for a writer that knows them without asking the ledger.
 */
public final class OrderStatusRule {

    private static final String ENDED_UNPAID = "'" + PaymentStatus.FAILED.wire() + "', '"
            + PaymentStatus.EXPIRED.wire() + "'";
    private static final String PAID = "'" + StatusWord.CONFIRMED.word() + "', '" + StatusWord.REFUNDED.word() + "'";

    private OrderStatusRule() {
    }

    /** A payment that ended without money: it never hides another payment of the order. */
    public static boolean endedUnpaid(PaymentStatus status) {
        return status == PaymentStatus.FAILED || status == PaymentStatus.EXPIRED;
    }

    /**
     * Of two payments of one order changed at the same instant, whether {@code candidate} is shown before
     * {@code other}: not ended unpaid first, then paid, then the higher payment_id (the SQL's ORDER BY).
     */
    public static boolean shows(PaymentStatus candidateStatus, StatusWord candidateWord, long candidateId,
            PaymentStatus otherStatus, StatusWord otherWord, long otherId) {
        if (endedUnpaid(candidateStatus) != endedUnpaid(otherStatus)) {
            return !endedUnpaid(candidateStatus);
        }
        if (paid(candidateWord) != paid(otherWord)) {
            return paid(candidateWord);
        }
        return candidateId > otherId;
    }

    private static boolean paid(StatusWord word) {
        return word == StatusWord.CONFIRMED || word == StatusWord.REFUNDED;
    }

    /**
     * A query for the order's shown payment: at most one row of {@code payment_id, status_word, updated_at} from
     * {@code payments}. The arguments are SQL expressions (a column of the caller's query or a {@code ?}), never
     * values; the ledger's (user_id, open_channel_id, ...) index finds the order's few rows.
     */
    public static String shownPayment(String userId, String openChannelId) {
        return "SELECT payment_id, status_word, updated_at FROM payments"
                + " WHERE user_id = " + userId + " AND open_channel_id = " + openChannelId
                + " ORDER BY status IN (" + ENDED_UNPAID + "), updated_at DESC, status_word IN (" + PAID + ") DESC,"
                + " payment_id DESC LIMIT 1";
    }
}
