package io.ipnpipeline.registry.table;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@code main_clients_database} rows as {@link ChannelMapping}s: every column, as committed. */
public final class ChannelTable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelTable.class);

    private static final String SELECT = "SELECT open_channel_id, closed_channel_id, client_wallet_address,"
            + " client_payout_currency, client_payout_network, sub_1_price, sub_1_time, sub_2_price, sub_2_time,"
            + " sub_3_price, sub_3_time, payout_strategy, payout_threshold_usd, updated_at"
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
                try {
                    rows.put(key, toMapping(resultSet));
                } catch (IllegalArgumentException | NullPointerException e) {
                    LOG.warn("main_clients_database row open_channel_id={} cannot be published, keeping the last"
                            + " published value: {}", key, e.getMessage());
                    unusable.add(key);
                }
            }
        }
        return new TableRead(rows, unusable);
    }

    static ChannelMapping toMapping(ResultSet row) throws SQLException {
        OffsetDateTime updatedAt = row.getObject("updated_at", OffsetDateTime.class);
        return new ChannelMapping(
                row.getLong("open_channel_id"),
                row.getLong("closed_channel_id"),
                row.getString("client_wallet_address"),
                row.getString("client_payout_currency"),
                row.getString("client_payout_network"),
                row.getBigDecimal("sub_1_price"),
                row.getObject("sub_1_time", Integer.class),
                row.getBigDecimal("sub_2_price"),
                row.getObject("sub_2_time", Integer.class),
                row.getBigDecimal("sub_3_price"),
                row.getObject("sub_3_time", Integer.class),
                PayoutStrategy.fromWord(row.getString("payout_strategy")),
                row.getBigDecimal("payout_threshold_usd"),
                updatedAt == null ? null : updatedAt.toInstant());
    }
}
