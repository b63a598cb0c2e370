package io.ipnpipeline.schema.adopt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a schema that holds the Telegram bot's tables but no Flyway history for a baseline at version 1: the
 * bot's tables and rows stay, they get the columns, types and unique keys V1 gives them, and the tables V1 adds
 * (the ledger) are created. Flyway then baselines at 1 and applies V2 onwards as everywhere else, so V1's file and
 * every deployed database's checksums stay as they are.
 *
 * <p>Everything happens in one transaction that first checks and then changes: a problem (a type the pipeline
 * cannot use, non-integer text ids, duplicate keys, a NOT NULL column the pipeline cannot fill) rolls it back and
 * is reported with the query that finds the rows. Running it again after a crash before the baseline is harmless:
 * every step is skipped when its result is already there.
 */
public final class BotSchemaAdoption {

    private static final Logger LOG = LoggerFactory.getLogger(BotSchemaAdoption.class);
    private static final String HISTORY_TABLE = "flyway_schema_history";
    private static final String SCRIPT = "db/adoption/pipeline_tables.sql";
    /** Columns only the pipeline's ledger has: a payments table without them is someone else's. */
    private static final Set<String> LEDGER_MARKERS = Set.of("payment_id", "status_rank", "status_word", "last_ipn");
    /** Where the bot's older code (and the old GCWebhook1) kept the subscription's end; the pipeline never writes them. */
    private static final List<String> LEGACY_EXPIRY = List.of("expire_date", "expire_time");
    /** Never queue an ACCESS EXCLUSIVE lock behind the bot's open transactions for long: that would stall the bot. */
    private static final String LOCK_TIMEOUT = "10s";

    private BotSchemaAdoption() {
    }

    /**
     * Adopts the bot's tables in {@code schema} if it has some and no Flyway history; returns whether it did (the
     * caller then baselines at version 1). A schema with history, or without either bot table, is left alone.
     */
    public static boolean adoptIfNeeded(DataSource dataSource, String schema) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                boolean adopted = adoptIn(connection, schema);
                connection.commit();
                return adopted;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot adopt the bot's tables in schema " + schema + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean adoptIn(Connection connection, String schema) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('ipn-pipeline bot schema adoption ' || ?))")) {
            // two services starting at once: the second sees the first's result, not a half-adopted schema
            lock.setString(1, schema);
            lock.execute();
        }
        if (exists(connection, schema, HISTORY_TABLE) || BotTable.ALL.stream().noneMatch(t -> exists(connection,
                schema, t.name()))) {
            return false;
        }
        LOG.info("schema {} holds the bot's tables and no Flyway history: adopting them", schema);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            statement.execute("SET LOCAL search_path TO " + ColumnPlan.quote(schema));
        }
        List<String> problems = new ArrayList<>();
        List<TablePlan> plans = new ArrayList<>();
        List<String> legacyExpiry = List.of();
        for (BotTable table : BotTable.ALL) {
            Map<String, ExistingColumn> columns = ExistingColumn.of(connection, schema, table.name());
            if (!columns.isEmpty()) {
                plans.add(TablePlan.of(connection, schema, table, columns, problems));
            }
            if (table == BotTable.SUBSCRIPTIONS) {
                legacyExpiry = LEGACY_EXPIRY.stream().filter(columns::containsKey).toList();
            }
        }
        checkOwnTables(connection, schema, problems);
        fail(schema, problems);
        for (TablePlan plan : plans) {
            plan.apply(connection, problems);
        }
        fail(schema, problems);
        try (Statement statement = connection.createStatement()) {
            statement.execute(script());
        }
        logChecks(connection, schema);
        warnLegacyExpiry(legacyExpiry);
        LOG.info("schema {}: bot tables adopted ({} of them changed), pipeline tables created", schema,
                plans.stream().filter(TablePlan::changes).count());
        return true;
    }

    /** The ledger name could be taken by a table of the bot's own. */
    private static void checkOwnTables(Connection connection, String schema, List<String> problems)
            throws SQLException {
        Map<String, ExistingColumn> payments = ExistingColumn.of(connection, schema, "payments");
        if (!payments.isEmpty() && !payments.keySet().containsAll(LEDGER_MARKERS)) {
            problems.add("table payments exists and is not the pipeline's ledger (it has no " + LEDGER_MARKERS
                    + "); rename it or deploy the pipeline into another schema");
        }
        if (exists(connection, schema, "command_outbox")) {
            problems.add("table command_outbox exists and no Flyway history says the pipeline made it; rename it"
                    + " or deploy the pipeline into another schema");
        }
    }

    /** The bot's own CHECKs could refuse a status word the sink writes; they are the operator's to judge. */
    private static void logChecks(Connection connection, String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = to_regclass(format('%I.%I', ?, 'private_channel_users_database'))
                   AND contype = 'c'""")) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    LOG.warn("private_channel_users_database keeps the bot's constraint {} {}: it must allow every"
                            + " status word the sink writes (pending, processing, confirmed, awaiting_mapping,"
                            + " needs_review, partially_paid, failed, expired, refunded)", rs.getString(1),
                            rs.getString(2));
                }
            }
        }
    }

    /**
     * A bot whose expiry job still reads expire_date/expire_time would deactivate every renewal the pipeline
     * applied: the sink extends expires_at only.
     */
    private static void warnLegacyExpiry(List<String> columns) {
        if (!columns.isEmpty()) {
            LOG.warn("private_channel_users_database has {}: the pipeline maintains expires_at only (renewals extend"
                    + " it, never {}); the bot's expiry job must read expires_at and recheck expires_at < now() in"
                    + " its UPDATE (README, 'Plugging in the real Telegram bot'), or it will remove paid users",
                    String.join(" and ", columns), String.join("/", columns));
        }
    }

    private static void fail(String schema, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new SchemaAdoptionException(schema, problems);
        }
    }

    static boolean exists(Connection connection, String schema, String table) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT to_regclass(format('%I.%I', ?, ?)) IS NOT NULL")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up table " + schema + "." + table, e);
        }
    }

    private static String script() {
        try (InputStream in = BotSchemaAdoption.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCRIPT, e);
        }
    }
}
