package io.ipnpipeline.schema.adopt;

import io.ipnpipeline.schema.adopt.PipelineColumn.Use;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The changes one of the bot's tables needs, found by reading the catalog and the rows (nothing changed yet). */
final class TablePlan {

    private static final Logger LOG = LoggerFactory.getLogger(TablePlan.class);

    private static final String UNIQUE_KEY_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM pg_index i
                            WHERE i.indrelid = to_regclass(format('%I.%I', ?, ?)) AND i.indisunique AND i.indisvalid
                              AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts = ?
                              AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
                                    WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) = ?)""";

    private final BotTable table;
    private final String qualified;
    private final List<String> alters;
    /** Change-time columns that may hold NULLs: filled with the adoption's time, then made NOT NULL. */
    private final List<String> fills;
    private final boolean addUnique;

    private TablePlan(BotTable table, String qualified, List<String> alters, List<String> fills, boolean addUnique) {
        this.table = table;
        this.qualified = qualified;
        this.alters = alters;
        this.fills = fills;
        this.addUnique = addUnique;
    }

    static TablePlan of(Connection connection, String schema, BotTable table, Map<String, ExistingColumn> columns,
            List<String> problems) throws SQLException {
        String qualified = ColumnPlan.quote(schema) + "." + ColumnPlan.quote(table.name());
        List<String> alters = new ArrayList<>();
        List<String> integerChecks = new ArrayList<>();
        List<String> fills = new ArrayList<>();
        for (PipelineColumn spec : table.columns()) {
            ExistingColumn column = columns.get(spec.name());
            if (column == null && spec.addDdl() == null) {
                problems.add(table.name() + " has no column " + spec.name() + "; the pipeline cannot work without it");
            } else if (column == null) {
                alters.add("ADD COLUMN " + ColumnPlan.quote(spec.name()) + " " + spec.addDdl());
            } else {
                ColumnPlan.plan(table.name(), spec, column, alters, integerChecks, problems);
                planChangeTime(spec, column, alters, fills);
            }
        }
        if (table.pipelineInserts()) {
            checkInsertable(table, columns, problems);
        }
        for (String column : integerChecks) {
            checkIntegers(connection, qualified, table.name(), column, problems);
        }
        return new TablePlan(table, qualified, alters, fills, !hasUniqueKey(connection, schema, table));
    }

    /**
     * The bot's own updated_at may lack a default or allow NULL: a row written without it would then fail the
     * insert (NOT NULL) or carry NULL into the status API's "newer row wins". It gets V1's default, and its NULLs
     * the adoption's time (as ADD COLUMN ... DEFAULT now() gives rows of a table that lacked the column).
     */
    private static void planChangeTime(PipelineColumn spec, ExistingColumn column, List<String> alters,
            List<String> fills) {
        if (spec.kind() != PipelineColumn.Kind.CHANGE_TIME) {
            return;
        }
        if (!column.hasDefault()) {
            alters.add("ALTER COLUMN " + ColumnPlan.quote(spec.name()) + " SET DEFAULT now()");
        }
        if (!column.notNull()) {
            fills.add(spec.name());
        }
    }

    /**
     * The sink inserts the rows the bot never wrote (the incident's direct-link payment). A NOT NULL column it
     * leaves empty would make every such insert fail, so that is found now rather than by the first customer.
     */
    private static void checkInsertable(BotTable table, Map<String, ExistingColumn> columns, List<String> problems) {
        Map<String, PipelineColumn> specs = table.columns().stream()
                .collect(Collectors.toMap(PipelineColumn::name, c -> c));
        for (ExistingColumn column : columns.values()) {
            PipelineColumn spec = specs.get(column.name());
            boolean leftEmpty = spec == null ? !column.hasDefault()
                    : spec.use() == Use.WRITTEN_NULLABLE || (!spec.written() && !column.hasDefault());
            if (column.notNull() && leftEmpty) {
                problems.add(table.name() + "." + column.name() + " is NOT NULL, and the pipeline creates rows in "
                        + table.name() + " without a value for it (payments from a direct link); give it a default"
                        + " (ALTER TABLE " + table.name() + " ALTER COLUMN " + column.name() + " SET DEFAULT ...)"
                        + " or allow NULL (... DROP NOT NULL)");
            }
        }
    }

    private static void checkIntegers(Connection connection, String qualified, String table, String column,
            List<String> problems) throws SQLException {
        String name = ColumnPlan.quote(column);
        String rows = "SELECT * FROM " + qualified + " WHERE " + name + " !~ '^\\s*-?[0-9]{1,18}\\s*$'";
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM (" + rows + ") r")) {
            rs.next();
            long bad = rs.getLong(1);
            if (bad > 0) {
                problems.add(table + "." + column + " holds " + bad + " value(s) that are not integer ids, so it"
                        + " cannot become bigint; find them with: " + rows);
            }
        }
    }

    private static boolean hasUniqueKey(Connection connection, String schema, BotTable table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNIQUE_KEY_EXISTS)) {
            Array names = connection.createArrayOf("text", table.uniqueKey().stream().sorted().toArray());
            try {
                statement.setString(1, schema);
                statement.setString(2, table.name());
                statement.setInt(3, table.uniqueKey().size());
                statement.setArray(4, names);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            } finally {
                names.free();
            }
        }
    }

    boolean changes() {
        return !alters.isEmpty() || !fills.isEmpty() || addUnique;
    }

    /** Converts and adds the columns, then the unique key, unless duplicates are in the way (a problem then). */
    void apply(Connection connection, List<String> problems) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!alters.isEmpty()) {
                LOG.info("{}: {}", table.name(), String.join(", ", alters));
                statement.execute("ALTER TABLE " + qualified + " " + String.join(", ", alters));
            }
            for (String column : fills) {
                String name = ColumnPlan.quote(column);
                int filled = statement.executeUpdate("UPDATE " + qualified + " SET " + name + " = now() WHERE "
                        + name + " IS NULL");
                LOG.info("{}: {} set to now() on {} row(s) that had none, then NOT NULL", table.name(), column,
                        filled);
                statement.execute("ALTER TABLE " + qualified + " ALTER COLUMN " + name + " SET NOT NULL");
            }
            if (!addUnique) {
                return;
            }
            String key = table.uniqueKey().stream().map(ColumnPlan::quote).collect(Collectors.joining(", "));
            String notNull = table.uniqueKey().stream().map(c -> ColumnPlan.quote(c) + " IS NOT NULL")
                    .collect(Collectors.joining(" AND "));
            String duplicates = "SELECT " + key + ", count(*) FROM " + qualified + " WHERE " + notNull
                    + " GROUP BY " + key + " HAVING count(*) > 1";
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM (" + duplicates + ") d")) {
                rs.next();
                long groups = rs.getLong(1);
                if (groups > 0) {
                    problems.add(table.name() + " has " + groups + " (" + String.join(", ", table.uniqueKey())
                            + ") value(s) held by more than one row, so UNIQUE (" + String.join(", ",
                            table.uniqueKey()) + ") cannot be added (the pipeline's upserts and lookups need it);"
                            + " find them with: " + duplicates + "; keep one row each, then run the migration again");
                    return;
                }
            }
            LOG.info("{}: adding UNIQUE ({})", table.name(), key);
            statement.execute("ALTER TABLE " + qualified + " ADD CONSTRAINT " + ColumnPlan.quote(table.uniqueName())
                    + " UNIQUE (" + key + ")");
            // the bot may have kept several rows per key (a renewal, a second /subscribe): its plain INSERTs of
            // such a row fail from now on, which the operator has to hear before the bot's users do
            LOG.warn("{}: from now on a plain INSERT of a second row with the same ({}) fails with a unique"
                    + " violation (23505); the bot must write such rows with INSERT ... ON CONFLICT ({}) DO UPDATE"
                    + " (README, 'Plugging in the real Telegram bot')", table.name(), String.join(", ",
                    table.uniqueKey()), String.join(", ", table.uniqueKey()));
        }
    }
}
