package io.ipnpipeline.sink.db;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Binds one column of a batch as one array parameter, for {@code INSERT ... SELECT FROM unnest(...)}: one
 * round trip per statement however many rows. Decimals and timestamps travel as text and are cast in SQL, so
 * no value ever passes through a double.
 */
final class SqlArrays {

    private final Connection connection;
    private final PreparedStatement statement;
    private int index;

    SqlArrays(Connection connection, PreparedStatement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    <T> SqlArrays bigints(List<T> rows, Function<T, Long> column) throws SQLException {
        return bind("int8", rows.stream().map(column).toArray(Long[]::new));
    }

    <T> SqlArrays ints(List<T> rows, Function<T, Integer> column) throws SQLException {
        return bind("int4", rows.stream().map(column).toArray(Integer[]::new));
    }

    <T> SqlArrays booleans(List<T> rows, Function<T, Boolean> column) throws SQLException {
        return bind("bool", rows.stream().map(column).toArray(Boolean[]::new));
    }

    <T> SqlArrays texts(List<T> rows, Function<T, String> column) throws SQLException {
        return bind("text", rows.stream().map(column).toArray(String[]::new));
    }

    /** Bound as text[]; the SQL casts it ({@code ?::text[]::numeric[]}). */
    <T> SqlArrays decimals(List<T> rows, Function<T, BigDecimal> column) throws SQLException {
        return bind("text", rows.stream().map(column).map(d -> d == null ? null : d.toPlainString())
                .toArray(String[]::new));
    }

    /** Bound as text[]; the SQL casts it ({@code ?::text[]::timestamptz[]}). */
    <T> SqlArrays instants(List<T> rows, Function<T, Instant> column) throws SQLException {
        return bind("text", rows.stream().map(column).map(i -> i == null ? null : i.toString())
                .toArray(String[]::new));
    }

    private SqlArrays bind(String type, Object[] values) throws SQLException {
        Array array = connection.createArrayOf(type, values);
        statement.setArray(++index, array);
        return this;
    }
}
