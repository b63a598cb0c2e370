package io.ipnpipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.embedded.PostgresServer;
import io.ipnpipeline.schema.adopt.BotSchemaAdoption;
import io.ipnpipeline.schema.adopt.SchemaAdoptionException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * Deploying onto the Telegram bot's existing database: its tables (with rows, text ids, enums, no Flyway
 * history) are adopted and the pipeline works on them; duplicates or unusable types stop the adoption with a
 * clear message and change nothing; an empty schema migrates exactly as before.
 */
class BotSchemaAdoptionIT {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    /** What every database migrated so far validates against: V1..V7 must never change. */
    private static final Map<String, Integer> RELEASED_CHECKSUMS = Map.of(
            "1", -1720592161, "2", 1416000453, "3", 657058324, "4", -359097269, "5", -674216884, "6", 1013721669,
            "7", -22800771);

    private static PostgresServer server;

    @BeforeAll
    static void startPostgres() throws IOException {
        server = new PostgresServer(new PostgresServer.Settings(Files.createTempDirectory("db-schema-it"),
                Ports.ephemeral(), false)).start();
    }

    @AfterAll
    static void stopPostgres() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void adoptsTheBotsTablesKeepingTheirRowsAndThePipelineWorksOnThem() throws SQLException {
        DataSource db = botSchema();

        MigrateResult result = SchemaMigrator.migrate(db);

        assertThat(result.success).isTrue();
        assertThat(history(db)).containsExactly(
                "1|BASELINE|" + SchemaMigrator.ADOPTED_DESCRIPTION,
                "2|SQL|registry notify", "3|SQL|command outbox", "4|SQL|command outbox slimmer",
                "5|SQL|subscription touch updated at", "6|SQL|command restore guard",
                "7|SQL|command outbox published offsets");
        // the bot's rows and its own columns are all still there, ids now bigint
        assertThat(rows(db, "SELECT id, open_channel_id, open_channel_title, closed_channel_id, client_payout_currency,"
                + " sub_1_price, sub_1_time, payout_strategy FROM main_clients_database")).containsExactly(
                "1|-1003253338212|Open|-1003016667267|eth|2.50|30|instant");
        assertThat(rows(db, "SELECT id, private_channel_id, user_id, payment_status, is_active, nowpayments_pay_amount,"
                + " client_payout_currency FROM private_channel_users_database ORDER BY id")).containsExactly(
                "1|-1003016667267|5000000001|pending|false|null|eth",
                "2|-1003016667267|5000000002|confirmed|true|0.000769670000000001|null");
        assertThat(rows(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema ="
                + " current_schema() AND column_name IN ('open_channel_id', 'private_channel_id')"
                + " AND table_name <> 'payments' ORDER BY 1")).containsExactly(
                "open_channel_id|bigint", "private_channel_id|bigint");

        // the sink's upsert: the bot's pending row is updated in place, a direct-link payment gets a row
        String upsert = "INSERT INTO private_channel_users_database AS t (user_id, private_channel_id, sub_time,"
                + " sub_price, client_payout_currency, nowpayments_payment_id, nowpayments_payment_status,"
                + " nowpayments_pay_amount, payment_status, expires_at, is_active) VALUES (%d, -1003016667267, 30,"
                + " 2.50, 'eth'::text, %d, 'finished', 0.00076967::numeric, 'confirmed', now() + interval '30 days',"
                + " true) ON CONFLICT (user_id, private_channel_id) DO UPDATE SET payment_status ="
                + " EXCLUDED.payment_status, nowpayments_payment_id = EXCLUDED.nowpayments_payment_id,"
                + " is_active = t.is_active OR EXCLUDED.is_active, updated_at = now()";
        execute(db, upsert.formatted(5000000001L, 4479119533L) + ";" + upsert.formatted(6271402111L, 4479119534L));
        assertThat(rows(db, "SELECT user_id, payment_status, nowpayments_payment_id FROM"
                + " private_channel_users_database ORDER BY user_id")).containsExactly(
                "5000000001|confirmed|4479119533", "5000000002|confirmed|4400000001", "6271402111|confirmed|4479119534");
        assertThat(rows(db, "SELECT id FROM private_channel_users_database WHERE user_id = 5000000001"))
                .containsExactly("1");

        // the ledger and outbox exist with what V3 added; the status API's join works on the converted ids
        execute(db, "INSERT INTO payments (payment_id, status, status_rank, status_word, last_ipn, finished_xact)"
                + " VALUES (4479119533, 'finished', 72, 'confirmed', '{}', pg_current_xact_id());"
                + "INSERT INTO command_outbox (command_id, kind, message_key, payload)"
                + " VALUES ('invite:4479119533', 'invite', '4479119533', '{}')");
        assertThat(rows(db, "SELECT u.payment_status FROM private_channel_users_database u JOIN main_clients_database m"
                + " ON m.closed_channel_id = u.private_channel_id WHERE u.user_id = 6271402111"
                + " AND m.open_channel_id = -1003253338212")).containsExactly("confirmed");

        // the later migrations' triggers are on the bot's tables: the bot's UPDATE without updated_at moves it
        String before = rows(db, "SELECT updated_at FROM private_channel_users_database WHERE id = 2").get(0);
        execute(db, "UPDATE private_channel_users_database SET payment_status = 'pending' WHERE id = 2");
        assertThat(rows(db, "SELECT updated_at FROM private_channel_users_database WHERE id = 2").get(0))
                .isNotEqualTo(before);
        assertThat(rows(db, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN"
                + " ('main_clients_database', 'private_channel_users_database') ORDER BY 1")).containsExactly(
                "main_clients_database_notify", "main_clients_database_notify_truncate", "main_clients_database_touch",
                "private_channel_users_touch");
        // the bot keeps writing the way it did: quoted ids, its enum words, no updated_at
        execute(db, "INSERT INTO private_channel_users_database (private_channel_id, user_id, sub_time, sub_price,"
                + " client_payout_currency) VALUES ('-1003016667267', 5000000003, 30, 2.50, 'eth')");
        execute(db, "UPDATE main_clients_database SET sub_1_price = 3.00 WHERE open_channel_id = '-1003253338212'");
    }

    /**
     * Found by review: a bot's own updated_at without a default (NOT NULL, or nullable) passed the adoption, and the
     * sink's first row for a direct-link payment then failed (23502, dead-lettered) or carried NULL into the status
     * API. The adoption gives it V1's default, fills its NULLs and makes it NOT NULL, on both tables.
     */
    @Test
    void theBotsOwnUpdatedAtGetsADefaultAndNeverHoldsNull() throws SQLException {
        DataSource notNull = botSchema();
        execute(notNull, "ALTER TABLE private_channel_users_database ADD COLUMN updated_at TIMESTAMPTZ NOT NULL"
                + " DEFAULT now(); ALTER TABLE private_channel_users_database ALTER COLUMN updated_at DROP DEFAULT");
        DataSource nullable = botSchema();
        execute(nullable, "ALTER TABLE private_channel_users_database ADD COLUMN updated_at TIMESTAMPTZ;"
                + "ALTER TABLE main_clients_database ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;"
                + "UPDATE private_channel_users_database SET updated_at = '2025-01-01T00:00:00Z' WHERE id = 2");

        SchemaMigrator.migrate(notNull);
        SchemaMigrator.migrate(nullable);

        String shape = "SELECT table_name, is_nullable, column_default FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND column_name = 'updated_at'"
                + " AND table_name LIKE '%_database' ORDER BY 1";
        for (DataSource db : List.of(notNull, nullable)) {
            assertThat(rows(db, shape)).containsExactly("main_clients_database|NO|now()",
                    "private_channel_users_database|NO|now()");
            // the bot's INSERT that names no updated_at (as the sink's did) gets one
            execute(db, "INSERT INTO private_channel_users_database (private_channel_id, user_id, payment_status)"
                    + " VALUES ('-1003016667267', 5000000009, 'pending')");
            assertThat(rows(db, "SELECT count(*) FROM private_channel_users_database WHERE updated_at IS NULL"))
                    .containsExactly("0");
        }
        // a value the bot had is kept; only NULLs got the adoption's time
        assertThat(rows(nullable, "SELECT updated_at = '2025-01-01T00:00:00Z' FROM private_channel_users_database"
                + " WHERE id IN (1, 2) ORDER BY id")).containsExactly("false", "true");
    }

    /**
     * Found by review: the bot's older code keeps the subscription's end in expire_date/expire_time, which the
     * pipeline never writes, and the UNIQUE key makes its plain INSERT of a second row fail: both are said at WARN.
     */
    @Test
    void legacyExpiryColumnsAndTheNewUniqueKeyAreWarnedAbout() throws SQLException {
        DataSource db = botSchema();
        execute(db, "ALTER TABLE private_channel_users_database ADD COLUMN expire_date DATE,"
                + " ADD COLUMN expire_time TIME");
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                "io.ipnpipeline.schema.adopt");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            SchemaMigrator.migrate(db);
        } finally {
            logger.detachAppender(appender);
        }

        List<String> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anySatisfy(w -> assertThat(w)
                .startsWith("private_channel_users_database has expire_date and expire_time: the pipeline maintains"
                        + " expires_at only"));
        assertThat(warnings).anySatisfy(w -> assertThat(w)
                .startsWith("private_channel_users_database: from now on a plain INSERT of a second row with the"
                        + " same (user_id, private_channel_id) fails"));
        // a schema without those columns says nothing about them
        ListAppender<ILoggingEvent> plain = new ListAppender<>();
        plain.start();
        logger.addAppender(plain);
        try {
            SchemaMigrator.migrate(botSchema());
        } finally {
            logger.detachAppender(plain);
        }
        assertThat(plain.list).noneMatch(e -> e.getFormattedMessage().contains("expire_date"));
    }

    @Test
    void aSecondMigrateChangesNothingAndAnInterruptedAdoptionResumes() throws SQLException {
        DataSource db = botSchema();
        // a crash between the adoption's commit and Flyway's baseline: the next start adopts again, harmlessly
        assertThat(BotSchemaAdoption.adoptIfNeeded(db, schemaOf(db))).isTrue();
        String adopted = snapshot(db);
        assertThat(BotSchemaAdoption.adoptIfNeeded(db, schemaOf(db))).isTrue();
        assertThat(snapshot(db)).isEqualTo(adopted);
        SchemaMigrator.migrate(db);
        String migrated = snapshot(db);

        MigrateResult again = SchemaMigrator.migrate(db);

        assertThat(again.migrationsExecuted).isZero();
        assertThat(BotSchemaAdoption.adoptIfNeeded(db, schemaOf(db))).isFalse();
        assertThat(snapshot(db)).isEqualTo(migrated);
    }

    @Test
    void duplicateKeysStopTheAdoptionWithTheQueryThatFindsThemAndChangeNothing() throws SQLException {
        DataSource db = botSchema();
        execute(db, "INSERT INTO private_channel_users_database (private_channel_id, user_id, payment_status)"
                + " VALUES ('-1003016667267', 5000000001, 'pending');"
                // the same open channel registered twice: the registry's topic key would be ambiguous
                + "INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,"
                + " client_payout_currency, client_payout_network) VALUES ('-1003253338212', '-1009', 'w', 'eth', 'eth')");
        String before = snapshot(db);

        assertThatThrownBy(() -> SchemaMigrator.migrate(db)).isInstanceOfSatisfying(SchemaAdoptionException.class,
                e -> {
                    assertThat(e.problems()).hasSize(2);
                    assertThat(e.problems().get(0)).startsWith("main_clients_database has 1 (open_channel_id)")
                            .contains("UNIQUE (open_channel_id) cannot be added");
                    String problem = e.problems().get(1);
                    assertThat(problem).startsWith("private_channel_users_database has 1 (user_id, private_channel_id)")
                            .contains("UNIQUE (user_id, private_channel_id) cannot be added");
                    assertThat(e.getMessage()).contains("nothing was changed");
                    // the query in the message finds exactly the duplicated pair
                    String query = problem.substring(problem.indexOf("find them with: ") + 16,
                            problem.indexOf("; keep one row each"));
                    assertThat(rowsUnchecked(db, query)).containsExactly("5000000001|-1003016667267|2");
                });
        assertThat(snapshot(db)).isEqualTo(before);
    }

    @Test
    void typesAndConstraintsThePipelineCannotUseAreAllNamedAndNothingChanges() throws SQLException {
        DataSource db = botSchema();
        execute(db, "ALTER TABLE private_channel_users_database ALTER COLUMN nowpayments_pay_amount TYPE double precision;"
                + "ALTER TABLE private_channel_users_database ADD COLUMN datestamp DATE NOT NULL DEFAULT current_date;"
                + "ALTER TABLE private_channel_users_database ALTER COLUMN datestamp DROP DEFAULT;"
                + "INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,"
                + " client_payout_currency, client_payout_network) VALUES ('@mychannel', '-1002', 'w', 'eth', 'eth')");
        String before = snapshot(db);

        assertThatThrownBy(() -> SchemaMigrator.migrate(db)).isInstanceOfSatisfying(SchemaAdoptionException.class,
                e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("main_clients_database.open_channel_id holds 1 value(s) that are"
                                + " not integer ids").contains("find them with: SELECT * FROM"),
                        p -> assertThat(p).startsWith("private_channel_users_database.nowpayments_pay_amount is double"
                                + " precision; the pipeline needs numeric"),
                        p -> assertThat(p).startsWith("private_channel_users_database.datestamp is NOT NULL")));
        assertThat(snapshot(db)).isEqualTo(before);
    }

    @Test
    void anEmptySchemaMigratesExactlyAsBefore() throws SQLException {
        DataSource db = dataSource(newSchema());

        SchemaMigrator.migrate(db);

        assertThat(history(db)).containsExactly("1|SQL|core schema", "2|SQL|registry notify", "3|SQL|command outbox",
                "4|SQL|command outbox slimmer", "5|SQL|subscription touch updated at", "6|SQL|command restore guard",
                "7|SQL|command outbox published offsets");
        assertThat(rows(db, "SELECT version, checksum FROM flyway_schema_history ORDER BY installed_rank"))
                .allSatisfy(row -> {
                    String[] parts = row.split("\\|");
                    assertThat(Integer.parseInt(parts[1])).as("checksum of V" + parts[0])
                            .isEqualTo(RELEASED_CHECKSUMS.get(parts[0]));
                });
    }

    @Test
    void anAdoptedSchemaHasEverythingAFreshOneHas() throws SQLException {
        DataSource fresh = dataSource(newSchema());
        SchemaMigrator.migrate(fresh);
        DataSource adopted = botSchema();
        SchemaMigrator.migrate(adopted);

        // the pipeline's own tables, column for column; on the bot's tables every pipeline column (the bot's own
        // types stay where the pipeline can use them: smallint days, enum currencies it only reads, varchar titles)
        String columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history' %s ORDER BY 1, 2";
        assertThat(rows(adopted, columns.formatted("AND table_name IN ('payments', 'command_outbox')")))
                .isEqualTo(rows(fresh, columns.formatted("AND table_name IN ('payments', 'command_outbox')")));
        String botColumns = "SELECT table_name, column_name FROM information_schema.columns WHERE"
                + " table_schema = current_schema() AND table_name LIKE '%_database' AND column_name <> 'id' ORDER BY 1, 2";
        assertThat(rows(adopted, botColumns)).containsAll(rows(fresh, botColumns));
        String indexes = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename IN ('payments', 'command_outbox') ORDER BY 1";
        assertThat(rows(adopted, indexes)).isEqualTo(rows(fresh, indexes));
        String triggers = "SELECT tgrelid::regclass::text || '.' || tgname FROM pg_trigger t JOIN pg_class c ON"
                + " c.oid = t.tgrelid WHERE NOT tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                + " ORDER BY 1";
        assertThat(rows(adopted, triggers)).isEqualTo(rows(fresh, triggers));
    }

    private static DataSource botSchema() throws SQLException {
        DataSource db = dataSource(newSchema());
        execute(db, resource("bot/telegram_bot_schema.sql"));
        return db;
    }

    private static String newSchema() throws SQLException {
        String schema = "bot_adoption_" + SCHEMAS.incrementAndGet();
        try (Connection c = server.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        }
        return schema;
    }

    /** As a service connects: the URL's currentSchema, migrated through {@link SchemaMigrator#migrate(DataSource)}. */
    private static DataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(server.jdbcUrl());
        ds.setUser(PostgresServer.SUPERUSER);
        ds.setCurrentSchema(schema);
        return ds;
    }

    private static String schemaOf(DataSource db) throws SQLException {
        return rows(db, "SELECT current_schema()").get(0);
    }

    private static List<String> history(DataSource db) throws SQLException {
        return rows(db, "SELECT version, type, description FROM flyway_schema_history WHERE version IS NOT NULL"
                + " ORDER BY installed_rank");
    }

    /** Every table's columns, constraints, indexes and rows in the schema: equal snapshots, nothing changed. */
    private static String snapshot(DataSource db) throws SQLException {
        List<String> all = new ArrayList<>();
        all.addAll(rows(db, "SELECT table_name, column_name, data_type, is_nullable, column_default FROM"
                + " information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2"));
        all.addAll(rows(db, "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"));
        all.addAll(rows(db, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"));
        all.addAll(rows(db, "SELECT to_jsonb(m)::text FROM main_clients_database m ORDER BY id"));
        all.addAll(rows(db, "SELECT to_jsonb(u)::text FROM private_channel_users_database u ORDER BY id"));
        return String.join("\n", all);
    }

    private static List<String> rowsUnchecked(DataSource db, String sql) {
        try {
            return rows(db, sql);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static List<String> rows(DataSource db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    values.add(value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String resource(String name) {
        try (InputStream in = BotSchemaAdoptionIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
