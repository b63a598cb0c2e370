package io.ipnpipeline.ops.db;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Set;

/** Prints result rows as {@code column: value} lines, so every column a migration adds shows up without code. */
public final class RowPrinter {

    private RowPrinter() {
    }

    /** Called for each row after it is printed, to keep values the caller needs. */
    @FunctionalInterface
    public interface RowCallback {
        void row(ResultSet rows) throws SQLException;
    }

    public static int print(PrintWriter out, String title, ResultSet rows, Set<String> skipped) throws SQLException {
        return print(out, title, rows, skipped, ignored -> { });
    }

    /** Prints every remaining row under {@code title}; returns how many there were. */
    public static int print(PrintWriter out, String title, ResultSet rows, Set<String> skipped, RowCallback callback)
            throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        int count = 0;
        while (rows.next()) {
            count++;
            out.printf("%s #%d%n", title, count);
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                String name = meta.getColumnLabel(column);
                if (skipped.contains(name)) {
                    continue;
                }
                out.printf("  %-24s %s%n", name + ":", text(rows.getObject(column)));
            }
            callback.row(rows);
        }
        if (count == 0) {
            out.printf("%s: none%n", title);
        }
        return count;
    }

    private static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        return value.toString();
    }
}
