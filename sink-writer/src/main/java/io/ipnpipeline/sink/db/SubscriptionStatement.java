package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscription upsert into {@code private_channel_users_database}, one statement per batch. It creates the
 * row a direct-link payment never had (the incident), updates a bot-created 'pending' row in place, and on a
 * first transition to finished activates it and extends {@code expires_at} from {@code greatest(now(),
 * expires_at)}.
 *
 * <p>{@code DO UPDATE} sees only the target row and {@code EXCLUDED}, so the days to add travel in
 * {@code EXCLUDED.expires_at = now() + days}: {@code EXCLUDED.expires_at::date - now()::date} is exactly the day
 * count again (both sides use the session time zone's calendar, so daylight-saving shifts cancel).
 */
final class SubscriptionStatement {

    /** The latest-payment columns; each is taken from EXCLUDED only if its payment is not older. */
    private static final List<String> LATEST = List.of("sub_time", "sub_price", "client_wallet_address",
            "client_payout_currency", "client_payout_network", "nowpayments_payment_id", "nowpayments_invoice_id",
            "nowpayments_order_id", "nowpayments_pay_address", "nowpayments_payment_status", "nowpayments_pay_amount",
            "nowpayments_pay_currency", "nowpayments_outcome_amount", "nowpayments_outcome_currency",
            "nowpayments_price_amount", "nowpayments_price_currency", "payment_status", "nowpayments_created_at",
            "nowpayments_updated_at");

    private static final String NOT_OLDER = "(t.nowpayments_payment_id IS NULL "
            + "OR EXCLUDED.nowpayments_payment_id >= t.nowpayments_payment_id)";

    static final String SQL = "INSERT INTO private_channel_users_database AS t (user_id, private_channel_id, "
            + String.join(", ", LATEST) + ", expires_at, is_active)\n"
            + "SELECT user_id, private_channel_id, " + String.join(", ", LATEST) + ",\n"
            + "       CASE WHEN add_days > 0 THEN now() + make_interval(days => add_days) END, add_days > 0\n"
            + "FROM " + Stage.SUBSCRIPTION + " AS i\n"
            + "ON CONFLICT (user_id, private_channel_id) DO UPDATE SET\n"
            + latest()
            + "    expires_at = CASE WHEN EXCLUDED.is_active\n"
            + "        THEN greatest(now(), t.expires_at)\n"
            + "             + make_interval(days => EXCLUDED.expires_at::date - now()::date)\n"
            + "        ELSE t.expires_at END,\n"
            + "    is_active = t.is_active OR EXCLUDED.is_active,\n"
            + "    updated_at = now()\n"
            + "RETURNING user_id, private_channel_id, expires_at";

    private SubscriptionStatement() {
    }

    private static String latest() {
        StringBuilder sql = new StringBuilder();
        for (String column : LATEST) {
            sql.append("    ").append(column).append(" = CASE WHEN ").append(NOT_OLDER).append(" THEN EXCLUDED.")
                    .append(column).append(" ELSE t.").append(column).append(" END,\n");
        }
        return sql.toString();
    }

    /** Upserts one row per key; returns each key's expires_at after the batch. */
    static Map<SubscriptionChange.Key, Instant> upsert(Connection connection, List<SubscriptionChange> changes)
            throws SQLException {
        Map<SubscriptionChange.Key, Instant> expiries = new HashMap<>();
        if (changes.isEmpty()) {
            return expiries;
        }
        try (CopyRows rows = CopyRows.into(connection, Stage.SUBSCRIPTION)) {
            for (SubscriptionChange change : changes) {
                EnrichedPayment p = change.newest();
                rows.add(p.userId()).add(p.privateChannelId()).add(p.subscriptionDays()).add(p.subscriptionPrice())
                        .add(p.clientWalletAddress()).add(p.clientPayoutCurrency()).add(p.clientPayoutNetwork())
                        .add(p.paymentId()).add(p.invoiceId()).add(p.orderId()).add(p.payAddress())
                        .add(p.status().wire()).add(p.payAmount()).add(p.payCurrency()).add(p.outcomeAmount())
                        .add(p.outcomeCurrency()).add(p.priceAmount()).add(p.priceCurrency())
                        .add(p.statusWord().word()).add(p.nowpaymentsCreatedAt()).add(p.nowpaymentsUpdatedAt())
                        .add(change.addDays()).endRow();
            }
            rows.finish();
        }
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
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
