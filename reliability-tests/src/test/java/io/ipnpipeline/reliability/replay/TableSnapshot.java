package io.ipnpipeline.reliability.replay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Every column of every row of the pipeline's tables, as text, in key order: "identical tables" made checkable. */
record TableSnapshot(Map<String, List<Map<String, String>>> tables) {

    private static final Map<String, String> TABLES = Map.of(
            "payments", "payment_id",
            "private_channel_users_database", "user_id, private_channel_id",
            "command_outbox", "outbox_id");

    static TableSnapshot take(DataSource database) throws SQLException {
        Map<String, List<Map<String, String>>> tables = new LinkedHashMap<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> table : TABLES.entrySet()) {
                tables.put(table.getKey(), rows(statement, "SELECT * FROM " + table.getKey() + " ORDER BY "
                        + table.getValue()));
            }
        }
        return new TableSnapshot(tables);
    }

    private static List<Map<String, String>> rows(Statement statement, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.put(meta.getColumnName(column), rs.getString(column));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    int rowCount(String table) {
        return tables.get(table).size();
    }
}
