package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.OrderStatusRule;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscription upsert into {@code private_channel_users_database}, one statement per batch. It creates the
 * row a direct-link payment never had (the incident), updates a bot-created 'pending' row in place, and on a
 * first transition to finished activates it and extends {@code expires_at} from {@code greatest(now(),
 * expires_at)}.
 *
 * <p>{@code payment_status} is the order's word by {@link OrderStatusRule}, so the row and the status API always
 * agree: the word of the batch's shown payment ({@link SubscriptionChange}), or, when that one ended unpaid, read
 * from the ledger this transaction has just written (an index lookup paid only for those rows); the other payment
 * columns follow {@link SubscriptionChange}'s rule (a paid payment first, then the highest payment_id). A needs_review payment
 * whose channel is known only sets the word of an existing row, in a data-modifying CTE of the same statement.
 * {@code updated_at} moves only when a column changes, so a change that leaves the row as it was (an abandoned
 * invoice expiring beside a paid one) does not make the row look newer than it is; it moves to the batch's time of
 * change, the same as the ledger's updated_at ({@link BatchWriter}). The expiry arithmetic keeps {@code now()}
 * (the transaction's start): an expiry orders no changes, and the day count travels against it (below).
 *
 * <p>{@code DO UPDATE} sees only the target row and {@code EXCLUDED}, so the days to add travel in
 * {@code EXCLUDED.expires_at = now() + days}: {@code EXCLUDED.expires_at::date - now()::date} is exactly the day
 * count again (both sides use the session time zone's calendar, so daylight-saving shifts cancel).
 */
final class SubscriptionStatement {

    /** The carried payment's columns; each is taken from EXCLUDED only if its payment outranks the row's. */
    private static final List<String> CARRIED = List.of("sub_time", "sub_price", "client_wallet_address",
            "client_payout_currency", "client_payout_network", "nowpayments_payment_id", "nowpayments_invoice_id",
            "nowpayments_order_id", "nowpayments_pay_address", "nowpayments_payment_status", "nowpayments_pay_amount",
            "nowpayments_pay_currency", "nowpayments_outcome_amount", "nowpayments_outcome_currency",
            "nowpayments_price_amount", "nowpayments_price_currency", "nowpayments_created_at",
            "nowpayments_updated_at");

    private static final String PAID = "('" + PaymentStatus.FINISHED.wire() + "', '" + PaymentStatus.REFUNDED.wire()
            + "')";

    /** {@link SubscriptionChange#outranks} in SQL: (paid, payment_id) of EXCLUDED at least the row's. */
    private static final String OUTRANKS = "(t.nowpayments_payment_id IS NULL "
            + "OR (coalesce(EXCLUDED.nowpayments_payment_status IN " + PAID + ", false), EXCLUDED.nowpayments_payment_id)"
            + " >= (coalesce(t.nowpayments_payment_status IN " + PAID + ", false), t.nowpayments_payment_id))";

    /** Every column the upsert sets except updated_at, with its new value. */
    private static final Map<String, String> SET = set();

    /** The one parameter is the batch's time of change ({@link BatchWriter}). */
    static final String SQL = "WITH staged AS (\n"
            + "    SELECT i.*, c.changed_at, CASE WHEN i.needs_ledger\n"
            + "        THEN coalesce((SELECT status_word FROM ("
            + OrderStatusRule.shownPayment("i.user_id", "i.open_channel_id") + ") AS shown), i.payment_status)\n"
            + "        ELSE i.payment_status END AS order_word\n"
            + "      FROM " + Stage.SUBSCRIPTION + " AS i CROSS JOIN (SELECT ?::timestamptz AS changed_at) AS c),\n"
            + "review AS (\n"
            + "    UPDATE private_channel_users_database AS t SET payment_status = s.order_word,\n"
            + "           updated_at = s.changed_at\n"
            + "      FROM staged AS s\n"
            + "     WHERE s.review_only AND t.user_id = s.user_id AND t.private_channel_id = s.private_channel_id\n"
            + "       AND t.payment_status IS DISTINCT FROM s.order_word)\n"
            + "INSERT INTO private_channel_users_database AS t (user_id, private_channel_id, "
            + String.join(", ", CARRIED) + ", payment_status, expires_at, is_active, updated_at)\n"
            + "SELECT user_id, private_channel_id, " + String.join(", ", CARRIED) + ", order_word,\n"
            + "       CASE WHEN add_days > 0 THEN now() + make_interval(days => add_days) END, add_days > 0,\n"
            + "       changed_at\n"
            + "FROM staged WHERE NOT review_only\n"
            + "ON CONFLICT (user_id, private_channel_id) DO UPDATE SET\n"
            + assignments()
            + "    updated_at = CASE WHEN (" + String.join(", ", SET.keySet().stream().map(c -> "t." + c).toList())
            + ")\n        IS DISTINCT FROM (" + String.join(", ", SET.values()) + ")\n"
            + "        THEN EXCLUDED.updated_at ELSE t.updated_at END\n"
            + "RETURNING user_id, private_channel_id, expires_at";

    private SubscriptionStatement() {
    }

    private static Map<String, String> set() {
        Map<String, String> set = new LinkedHashMap<>();
        for (String column : CARRIED) {
            set.put(column, "CASE WHEN " + OUTRANKS + " THEN EXCLUDED." + column + " ELSE t." + column + " END");
        }
        set.put("payment_status", "EXCLUDED.payment_status");
        set.put("expires_at", "CASE WHEN EXCLUDED.is_active\n"
                + "        THEN greatest(now(), t.expires_at)\n"
                + "             + make_interval(days => EXCLUDED.expires_at::date - now()::date)\n"
                + "        ELSE t.expires_at END");
        set.put("is_active", "t.is_active OR EXCLUDED.is_active");
        return Collections.unmodifiableMap(set);
    }

    private static String assignments() {
        StringBuilder sql = new StringBuilder();
        SET.forEach((column, value) -> sql.append("    ").append(column).append(" = ").append(value).append(",\n"));
        return sql.toString();
    }

    /** Upserts one row per key; returns each key's expires_at after the batch. */
    static Map<SubscriptionChange.Key, Instant> upsert(Connection connection, List<SubscriptionChange> changes,
            OffsetDateTime changedAt) throws SQLException {
        Map<SubscriptionChange.Key, Instant> expiries = new HashMap<>();
        if (changes.isEmpty()) {
            return expiries;
        }
        try (CopyRows rows = CopyRows.into(connection, Stage.SUBSCRIPTION)) {
            for (SubscriptionChange change : changes) {
                EnrichedPayment p = change.payment();
                rows.add(p.userId()).add(p.privateChannelId()).add(p.openChannelId()).add(p.subscriptionDays())
                        .add(p.subscriptionPrice()).add(p.clientWalletAddress()).add(p.clientPayoutCurrency()).add(p.clientPayoutNetwork())
                        .add(p.paymentId()).add(p.invoiceId()).add(p.orderId()).add(p.payAddress())
                        .add(p.status().wire()).add(p.payAmount()).add(p.payCurrency()).add(p.outcomeAmount())
                        .add(p.outcomeCurrency()).add(p.priceAmount()).add(p.priceCurrency())
                        .add(change.shown().statusWord().word()).add(p.nowpaymentsCreatedAt())
                        .add(p.nowpaymentsUpdatedAt()).add(change.addDays()).add(change.reviewOnly())
                        .add(change.needsLedger()).endRow();
            }
            rows.finish();
        }
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setObject(1, changedAt);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime expiresAt = rs.getObject(3, OffsetDateTime.class);
                    expiries.put(new SubscriptionChange.Key(rs.getLong(1), rs.getLong(2)),
                            expiresAt == null ? null : expiresAt.toInstant());
                }
            }
        }
        return expiries;
    }
}
