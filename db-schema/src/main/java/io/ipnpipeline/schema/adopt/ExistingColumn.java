package io.ipnpipeline.schema.adopt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A column as the bot's table has it, from the catalog. */
record ExistingColumn(String name, String typeName, char typeType, int typmod, String formatted, boolean notNull,
        boolean hasDefault) {

    private static final String SQL = """
            SELECT a.attname, t.typname, t.typtype, a.atttypmod, format_type(a.atttypid, a.atttypmod),
                   a.attnotnull, a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> ''
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = to_regclass(format('%I.%I', ?, ?)) AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";

    /** The table's columns by name, in table order; empty when the table does not exist. */
    static Map<String, ExistingColumn> of(Connection connection, String schema, String table) throws SQLException {
        Map<String, ExistingColumn> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new ExistingColumn(rs.getString(1), rs.getString(2),
                            rs.getString(3).charAt(0), rs.getInt(4), rs.getString(5), rs.getBoolean(6),
                            rs.getBoolean(7)));
                }
            }
        }
        return columns;
    }

    boolean isEnum() {
        return typeType == 'e';
    }

    boolean isTextLike() {
        return typeName.equals("text") || typeName.equals("varchar") || typeName.equals("bpchar");
    }

    /** text, or varchar without a length: anything the pipeline writes fits. */
    boolean isUnboundedText() {
        return typeName.equals("text") || (typeName.equals("varchar") && typmod < 0);
    }

    boolean isInteger() {
        return typeName.equals("int2") || typeName.equals("int4") || typeName.equals("int8");
    }

    /** The declared scale of a numeric, or -1 when it has none (any scale fits). */
    int numericScale() {
        return typmod < 0 ? -1 : (typmod - 4) & 0xffff;
    }
}
