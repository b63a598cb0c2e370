package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.sink.batch.PlannedRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The payments ledger upsert: the batch is COPied into a staging table, then one statement per wave. The status
 * only moves forward ({@link ForwardRule} in the {@code WHERE}); the first transition to finished sets finished_at
 * and both issued_at columns once (to the batch's time of change, as updated_at), and records the transaction id so
 * RETURNING can tell this statement did it.
 */
final class LedgerStatement {

    private static final String COLUMNS = "payment_id, parent_payment_id, invoice_id, order_id, user_id, "
            + "open_channel_id, private_channel_id, status, status_rank, status_word, review_reason, tier_index, "
            + "subscription_days, subscription_price, price_amount, price_currency, pay_amount, pay_currency, "
            + "actually_paid, outcome_amount, outcome_currency, pay_address, client_wallet_address, "
            + "client_payout_currency, client_payout_network, payout_strategy";

    /** Descriptive columns a later record without placement must not blank out. */
    private static final List<String> KEPT_IF_NULL = List.of("parent_payment_id", "invoice_id", "order_id",
            "user_id", "open_channel_id", "private_channel_id", "tier_index", "subscription_days",
            "subscription_price", "price_amount", "price_currency", "pay_amount", "pay_currency", "actually_paid",
            "outcome_amount", "outcome_currency", "pay_address", "client_wallet_address", "client_payout_currency",
            "client_payout_network", "payout_strategy");

    private static final String FINISHED_RANK =
            String.valueOf(Progress.rank(PaymentStatus.FINISHED, StatusWord.CONFIRMED));

    /** The stored row had not finished, this batch brings a placed finished record, and the row may take it. */
    private static final String FIRST_FINISH = "(p.finished_at IS NULL AND EXCLUDED.finished_at IS NOT NULL AND "
            + ForwardRule.advances("p.status", "p.status_rank", "'" + PaymentStatus.FINISHED.wire() + "'",
                    FINISHED_RANK) + ")";

    /**
     * The first parameter is the batch's time of change ({@link BatchWriter}); DO UPDATE sees only the row and
     * EXCLUDED, so it reaches the update as {@code EXCLUDED.updated_at}.
     */
    static final String SQL = "INSERT INTO payments AS p (" + COLUMNS + ", last_ipn, updated_at, finished_at, "
            + "invite_issued_at, payout_issued_at, finished_xact)\n"
            + "SELECT " + COLUMNS + ", last_ipn, c.changed_at,\n"
            + "       CASE WHEN finishes THEN c.changed_at END, CASE WHEN finishes THEN c.changed_at END,\n"
            + "       CASE WHEN finishes THEN c.changed_at END, CASE WHEN finishes THEN pg_current_xact_id() END\n"
            + "FROM " + Stage.LEDGER + " AS i CROSS JOIN (SELECT ?::timestamptz AS changed_at) AS c WHERE i.wave = ?\n"
            + "ON CONFLICT (payment_id) DO UPDATE SET\n"
            + "    status = EXCLUDED.status, status_rank = EXCLUDED.status_rank, status_word = EXCLUDED.status_word,\n"
            + "    review_reason = EXCLUDED.review_reason, last_ipn = EXCLUDED.last_ipn,\n"
            + "    updated_at = EXCLUDED.updated_at,\n"
            + keptIfNull()
            + "    finished_at = CASE WHEN " + FIRST_FINISH + " THEN EXCLUDED.updated_at ELSE p.finished_at END,\n"
            + "    invite_issued_at = CASE WHEN " + FIRST_FINISH
            + " THEN EXCLUDED.updated_at ELSE p.invite_issued_at END,\n"
            + "    payout_issued_at = CASE WHEN " + FIRST_FINISH
            + " THEN EXCLUDED.updated_at ELSE p.payout_issued_at END,\n"
            + "    finished_xact = CASE WHEN " + FIRST_FINISH + " THEN pg_current_xact_id() ELSE p.finished_xact END\n"
            + "WHERE " + ForwardRule.advances("p.status", "p.status_rank", "EXCLUDED.status", "EXCLUDED.status_rank")
            + "\nRETURNING payment_id, coalesce(finished_xact = pg_current_xact_id(), false) AS finished_now";

    private LedgerStatement() {
    }

    private static String keptIfNull() {
        StringBuilder sql = new StringBuilder();
        for (String column : KEPT_IF_NULL) {
            sql.append("    ").append(column).append(" = coalesce(EXCLUDED.").append(column).append(", p.")
                    .append(column).append("),\n");
        }
        return sql.toString();
    }

    /** COPies every wave's rows into the staging table, tagged with their wave's index. */
    static void stage(Connection connection, List<List<PlannedRow>> waves) throws SQLException {
        try (CopyRows rows = CopyRows.into(connection, Stage.LEDGER)) {
            for (int wave = 0; wave < waves.size(); wave++) {
                for (PlannedRow row : waves.get(wave)) {
                    stageRow(rows, wave, row);
                }
            }
            rows.finish();
        }
    }

    private static void stageRow(CopyRows rows, int wave, PlannedRow row) throws SQLException {
        EnrichedPayment p = row.latest();
        rows.add(wave).add(p.paymentId()).add(p.parentPaymentId()).add(p.invoiceId()).add(p.orderId())
                .add(p.userId()).add(p.openChannelId()).add(p.privateChannelId()).add(p.status().wire())
                .add(p.progressRank()).add(p.statusWord().word()).add(p.reviewReason())
                .add(p.tierIndex()).add(p.subscriptionDays()).add(p.subscriptionPrice())
                .add(p.priceAmount()).add(p.priceCurrency()).add(p.payAmount()).add(p.payCurrency())
                .add(p.actuallyPaid()).add(p.outcomeAmount()).add(p.outcomeCurrency()).add(p.payAddress())
                .add(p.clientWalletAddress()).add(p.clientPayoutCurrency()).add(p.clientPayoutNetwork())
                .add(p.payoutStrategy() == null ? null : p.payoutStrategy().word()).addJson(p.rawIpn())
                .add(row.finishing() != null).endRow();
    }

    /** Upserts one staged wave (at most one row per payment); returns the rows the ledger accepted, in order. */
    static List<AcceptedChange> upsert(Connection connection, int waveIndex, List<PlannedRow> wave,
            OffsetDateTime changedAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setObject(1, changedAt);
            statement.setInt(2, waveIndex);
            return accepted(statement, wave);
        }
    }

    private static List<AcceptedChange> accepted(PreparedStatement statement, List<PlannedRow> wave)
            throws SQLException {
        Map<Long, Boolean> returned = new HashMap<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                returned.put(rs.getLong(1), rs.getBoolean(2));
            }
        }
        List<AcceptedChange> accepted = new ArrayList<>(returned.size());
        for (PlannedRow row : wave) {
            Boolean finishedNow = returned.get(row.paymentId());
            if (finishedNow != null) {
                accepted.add(new AcceptedChange(row, finishedNow));
            }
        }
        return accepted;
    }
}
