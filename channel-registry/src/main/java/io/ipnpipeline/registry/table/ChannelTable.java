package io.ipnpipeline.registry.table;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code main_clients_database} rows as {@link ChannelMapping}s: every column, as committed. A row that
 * cannot be read or breaks {@link UsableRow} is reported unusable (logged with its open_channel_id and why),
 * never published, and never stops the other rows.
 */
public final class ChannelTable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelTable.class);

    /** SQLState class 08: the connection failed. */
    private static final String CONNECTION_EXCEPTION = "08";

    private static final String SELECT = "SELECT open_channel_id, closed_channel_id, client_wallet_address,"
            + " client_payout_currency, client_payout_network, sub_1_price, sub_1_time::bigint AS sub_1_time,"
            + " sub_2_price, sub_2_time::bigint AS sub_2_time, sub_3_price, sub_3_time::bigint AS sub_3_time,"
            + " payout_strategy, payout_threshold_usd, updated_at"
            + " FROM main_clients_database";

    private ChannelTable() {
    }

    public static TableRead readAll(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            return collect(statement);
        }
    }

    /** The rows with these ids; an id without a row is simply absent from the result. */
    public static TableRead read(Connection connection, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return new TableRead(Map.of(), Set.of());
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT + " WHERE open_channel_id = ANY(?)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            try {
                statement.setArray(1, array);
                return collect(statement);
            } finally {
                array.free();
            }
        }
    }

    private static TableRead collect(PreparedStatement statement) throws SQLException {
        Map<String, ChannelMapping> rows = new HashMap<>();
        Set<String> unusable = new HashSet<>();
        try (ResultSet resultSet = statement.executeQuery()) {
            while (resultSet.next()) {
                String key = Long.toString(resultSet.getLong("open_channel_id"));
                Optional<String> problem = readRow(resultSet, key, rows);
                if (problem.isPresent()) {
                    LOG.warn("main_clients_database row open_channel_id={} cannot be published ({}); its channel keeps"
                            + " the last published mapping, a new channel has none", key, problem.get());
                    unusable.add(key);
                }
            }
        }
        return new TableRead(rows, unusable);
    }

    /**
     * Adds the row to {@code rows}, or says why it cannot be published. Whatever goes wrong with one row (a value
     * the driver cannot convert, a broken rule) stays with that row: one bad edit must not stop every other
     * channel's changes from being published.
     */
    private static Optional<String> readRow(ResultSet row, String key, Map<String, ChannelMapping> rows)
            throws SQLException {
        ChannelMapping mapping;
        try {
            mapping = toMapping(row);
        } catch (UnusableValue e) {
            return Optional.of(e.getMessage());
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith(CONNECTION_EXCEPTION)) {
                throw e; // the session is gone, not the row: end the session, do not blame the row
            }
            return Optional.of("unreadable value: " + e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("unreadable value: " + e);
        }
        Optional<String> problem = UsableRow.problem(mapping);
        if (problem.isEmpty()) {
            rows.put(key, mapping);
        }
        return problem;
    }

    private static ChannelMapping toMapping(ResultSet row) throws SQLException, UnusableValue {
        OffsetDateTime updatedAt = row.getObject("updated_at", OffsetDateTime.class);
        String wallet = row.getString("client_wallet_address");
        if (wallet == null) {
            throw new UnusableValue("client_wallet_address is empty");
        }
        return new ChannelMapping(
                row.getLong("open_channel_id"),
                row.getLong("closed_channel_id"),
                wallet,
                row.getString("client_payout_currency"),
                row.getString("client_payout_network"),
                price(row, "sub_1_price"),
                days(row, "sub_1_time"),
                price(row, "sub_2_price"),
                days(row, "sub_2_time"),
                price(row, "sub_3_price"),
                days(row, "sub_3_time"),
                strategy(row.getString("payout_strategy")),
                price(row, "payout_threshold_usd"),
                updatedAt == null ? null : updatedAt.toInstant());
    }

    /**
     * Read as text: a NUMERIC column may hold NaN or (PostgreSQL 14+) Infinity, which a bot writing Python
     * Decimals can store; they are no amount, and the driver's getBigDecimal fails on them.
     */
    private static BigDecimal price(ResultSet row, String column) throws SQLException, UnusableValue {
        String text = row.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new UnusableValue(column + " is not an amount (" + text + ")");
        }
    }

    /** Selected as bigint, so int2, int4 and int8 columns (an adopted bot table keeps its own) all read. */
    private static Integer days(ResultSet row, String column) throws SQLException, UnusableValue {
        long days = row.getLong(column);
        if (row.wasNull()) {
            return null;
        }
        if (days < Integer.MIN_VALUE || days > Integer.MAX_VALUE) {
            throw new UnusableValue(column + " is out of range (" + days + ")");
        }
        return (int) days;
    }

    private static PayoutStrategy strategy(String word) throws UnusableValue {
        try {
            return PayoutStrategy.fromWord(word);
        } catch (IllegalArgumentException e) {
            throw new UnusableValue("payout_strategy is neither instant nor threshold");
        }
    }

    /** A column value that cannot be part of a mapping; the message names the column, never a wallet. */
    static final class UnusableValue extends Exception {

        private static final long serialVersionUID = 1L;

        UnusableValue(String message) {
            super(message);
        }
    }
}
