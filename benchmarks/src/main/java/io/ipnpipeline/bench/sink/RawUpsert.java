package io.ipnpipeline.bench.sink;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.sink.db.CopyText;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The sink's limit: the fastest plain way to upsert the same rows into the same two tables (ledger and
 * subscriptions, the pipeline's schema and indexes), one transaction per {@link #BATCH} records, fsync on.
 * Two ways, both measured: COPY into a temporary table then INSERT ... SELECT ... ON CONFLICT, and one
 * INSERT ... SELECT FROM unnest(arrays) ON CONFLICT per table. No forward-rule bookkeeping, no outbox, no
 * Kafka: what PostgreSQL on this disk can take.
 */
public final class RawUpsert {

    public static final int BATCH = 10_000;

    private record Column(String name, String type, Function<EnrichedPayment, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("payment_id", "int8", EnrichedPayment::paymentId),
            new Column("invoice_id", "int8", EnrichedPayment::invoiceId),
            new Column("order_id", "text", EnrichedPayment::orderId),
            new Column("user_id", "int8", EnrichedPayment::userId),
            new Column("open_channel_id", "int8", EnrichedPayment::openChannelId),
            new Column("private_channel_id", "int8", EnrichedPayment::privateChannelId),
            new Column("status", "text", p -> p.status().wire()),
            new Column("status_rank", "int4", EnrichedPayment::progressRank),
            new Column("status_word", "text", p -> p.statusWord().word()),
            new Column("review_reason", "text", EnrichedPayment::reviewReason),
            new Column("tier_index", "int4", EnrichedPayment::tierIndex),
            new Column("subscription_days", "int4", EnrichedPayment::subscriptionDays),
            new Column("subscription_price", "numeric", EnrichedPayment::subscriptionPrice),
            new Column("price_amount", "numeric", EnrichedPayment::priceAmount),
            new Column("price_currency", "text", EnrichedPayment::priceCurrency),
            new Column("pay_amount", "numeric", EnrichedPayment::payAmount),
            new Column("pay_currency", "text", EnrichedPayment::payCurrency),
            new Column("actually_paid", "numeric", EnrichedPayment::actuallyPaid),
            new Column("outcome_amount", "numeric", EnrichedPayment::outcomeAmount),
            new Column("outcome_currency", "text", EnrichedPayment::outcomeCurrency),
            new Column("pay_address", "text", EnrichedPayment::payAddress),
            new Column("client_wallet_address", "text", EnrichedPayment::clientWalletAddress),
            new Column("client_payout_currency", "text", EnrichedPayment::clientPayoutCurrency),
            new Column("client_payout_network", "text", EnrichedPayment::clientPayoutNetwork),
            new Column("payout_strategy", "text", p -> p.payoutStrategy() == null ? null : p.payoutStrategy().word()),
            new Column("last_ipn", "jsonb", EnrichedPayment::rawIpn),
            new Column("created_at", "timestamptz", EnrichedPayment::nowpaymentsCreatedAt),
            new Column("updated_at", "timestamptz", EnrichedPayment::nowpaymentsUpdatedAt));

    private static final String LEDGER_COLUMNS = "payment_id, invoice_id, order_id, user_id, open_channel_id, "
            + "private_channel_id, status, status_rank, status_word, review_reason, tier_index, subscription_days, "
            + "subscription_price, price_amount, price_currency, pay_amount, pay_currency, actually_paid, "
            + "outcome_amount, outcome_currency, pay_address, client_wallet_address, client_payout_currency, "
            + "client_payout_network, payout_strategy, last_ipn";

    private static final String LEDGER_UPSERT = "INSERT INTO payments AS p (" + LEDGER_COLUMNS + ", finished_at)\n"
            + "SELECT " + LEDGER_COLUMNS + ", CASE WHEN status = 'finished' THEN now() END FROM %s\n"
            + "ON CONFLICT (payment_id) DO UPDATE SET status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,"
            + " status_word = EXCLUDED.status_word, last_ipn = EXCLUDED.last_ipn, updated_at = now(),"
            + " finished_at = coalesce(p.finished_at, EXCLUDED.finished_at)\n"
            + "WHERE p.status_rank < EXCLUDED.status_rank";

    private static final String SUBSCRIPTION_UPSERT = "INSERT INTO private_channel_users_database AS s (user_id,"
            + " private_channel_id, sub_time, sub_price, expires_at, is_active, client_wallet_address,"
            + " client_payout_currency, client_payout_network, nowpayments_payment_id, nowpayments_invoice_id,"
            + " nowpayments_order_id, nowpayments_pay_address, nowpayments_payment_status, nowpayments_pay_amount,"
            + " nowpayments_pay_currency, nowpayments_outcome_amount, nowpayments_outcome_currency,"
            + " nowpayments_price_amount, nowpayments_price_currency, payment_status, nowpayments_created_at,"
            + " nowpayments_updated_at)\n"
            + "SELECT user_id, private_channel_id, subscription_days, subscription_price,"
            + " CASE WHEN status = 'finished' THEN now() + make_interval(days => subscription_days) END,"
            + " status = 'finished', client_wallet_address, client_payout_currency, client_payout_network,"
            + " payment_id, invoice_id, order_id, pay_address, status, pay_amount, pay_currency, outcome_amount,"
            + " outcome_currency, price_amount, price_currency, status_word, created_at, updated_at FROM %s\n"
            + "WHERE user_id IS NOT NULL AND private_channel_id IS NOT NULL\n"
            + "ON CONFLICT (user_id, private_channel_id) DO UPDATE SET"
            + " nowpayments_payment_id = EXCLUDED.nowpayments_payment_id,"
            + " nowpayments_payment_status = EXCLUDED.nowpayments_payment_status,"
            + " payment_status = EXCLUDED.payment_status, expires_at = coalesce(EXCLUDED.expires_at, s.expires_at),"
            + " is_active = s.is_active OR EXCLUDED.is_active, updated_at = now()";

    private RawUpsert() {
    }

    /** One transaction's rows: at most one per payment (the furthest), as one upsert cannot touch a row twice. */
    public static List<List<EnrichedPayment>> batches(List<EnrichedPayment> records) {
        List<List<EnrichedPayment>> batches = new ArrayList<>();
        for (int from = 0; from < records.size(); from += BATCH) {
            Map<Long, EnrichedPayment> furthest = new LinkedHashMap<>();
            for (EnrichedPayment payment : records.subList(from, Math.min(records.size(), from + BATCH))) {
                furthest.merge(payment.paymentId(), payment,
                        (kept, next) -> next.progressRank() >= kept.progressRank() ? next : kept);
            }
            batches.add(List.copyOf(furthest.values()));
        }
        return batches;
    }

    /** COPY variant; returns seconds spent. */
    public static double copy(DataSource dataSource, List<List<EnrichedPayment>> batches) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMP TABLE stage (" + stageColumns() + ") ON COMMIT DELETE ROWS");
                connection.commit();
                long started = System.nanoTime();
                for (List<EnrichedPayment> batch : batches) {
                    copyIn(connection, batch);
                    statement.executeUpdate(LEDGER_UPSERT.formatted("stage"));
                    statement.executeUpdate(SUBSCRIPTION_UPSERT.formatted("stage"));
                    connection.commit();
                }
                return (System.nanoTime() - started) / 1e9;
            }
        }
    }

    /** unnest variant; returns seconds spent. */
    public static double unnest(DataSource dataSource, List<List<EnrichedPayment>> batches) throws SQLException {
        String source = "unnest(" + String.join(", ", COLUMNS.stream().map(c -> "?::" + arrayType(c)).toList())
                + ") AS i(" + String.join(", ", COLUMNS.stream().map(Column::name).toList()) + ")";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement ledger = connection.prepareStatement(LEDGER_UPSERT.formatted(source));
                PreparedStatement subscriptions = connection.prepareStatement(SUBSCRIPTION_UPSERT.formatted(source))) {
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            for (List<EnrichedPayment> batch : batches) {
                bindArrays(connection, ledger, batch);
                ledger.executeUpdate();
                bindArrays(connection, subscriptions, batch);
                subscriptions.executeUpdate();
                connection.commit();
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static String stageColumns() {
        return String.join(", ", COLUMNS.stream().map(c -> c.name() + " " + c.type()).toList());
    }

    /** Numbers and timestamps travel as text arrays, cast by PostgreSQL, as the sink's own statements do. */
    private static String arrayType(Column column) {
        return switch (column.type()) {
            case "int8", "int4", "text" -> column.type() + "[]";
            default -> "text[]::" + column.type() + "[]";
        };
    }

    private static void bindArrays(Connection connection, PreparedStatement statement, List<EnrichedPayment> batch)
            throws SQLException {
        for (int c = 0; c < COLUMNS.size(); c++) {
            Column column = COLUMNS.get(c);
            Object[] values = new Object[batch.size()];
            for (int r = 0; r < batch.size(); r++) {
                Object value = column.value().apply(batch.get(r));
                values[r] = value == null || value instanceof Long || value instanceof Integer ? value : text(value);
            }
            String elementType = column.type().equals("int8") || column.type().equals("int4") ? column.type() : "text";
            Array array = connection.createArrayOf(elementType, values);
            statement.setArray(c + 1, array);
        }
    }

    private static void copyIn(Connection connection, List<EnrichedPayment> batch) throws SQLException {
        StringBuilder data = new StringBuilder(batch.size() * 1_200);
        for (EnrichedPayment payment : batch) {
            for (int c = 0; c < COLUMNS.size(); c++) {
                if (c > 0) {
                    data.append('\t');
                }
                Object value = COLUMNS.get(c).value().apply(payment);
                if (value == null) {
                    data.append("\\N");
                } else {
                    CopyText.appendEscaped(data, text(value));
                }
            }
            data.append('\n');
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY stage FROM STDIN", new StringReader(data.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
    }

    private static String text(Object value) {
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
