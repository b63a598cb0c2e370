package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.PRIVATE_CHANNEL;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.USER;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.schema.SchemaMigrator;
import io.ipnpipeline.sink.batch.BatchPlan;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestSchema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink on the Telegram bot's own database after SchemaMigrator adopted it (db-schema's bot fixture: text
 * channel ids, enum currencies, smallint days, bounded varchars, rows already there): the incident's direct-link
 * payment gets a row, the bot's pending row is updated in place, and the bot's other rows are untouched.
 */
class AdoptedBotSchemaIT {

    /** The bot's pending row for the incident's private channel (id 1 in the fixture). */
    private static final long BOT_USER = 5000000001L;

    private static TestSchema schema;

    @BeforeAll
    static void adoptTheBotsDatabase() throws IOException {
        schema = TestSchema.unmigrated("adopted-bot");
        try (InputStream in = AdoptedBotSchemaIT.class.getClassLoader()
                .getResourceAsStream("bot/telegram_bot_schema.sql")) {
            Tables.execute(schema.dataSource(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // as the init step does it: the connection's current schema, no schema name given
        SchemaMigrator.migrate(schema.dataSource());
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void directLinkAndBotFlowPaymentsLandOnTheBotsTables() throws Exception {
        BatchWriter writer = new BatchWriter(schema.dataSource());

        writer.apply(BatchPlan.of(List.of(payment(1).build(),
                payment(2).user(BOT_USER).status(PaymentStatus.CONFIRMING).build())));
        writer.apply(BatchPlan.of(List.of(payment(2).user(BOT_USER).build())));

        List<Map<String, Object>> rows = Tables.rows(schema.dataSource(), "SELECT id, user_id, private_channel_id,"
                + " payment_status, is_active, nowpayments_payment_id, client_payout_currency, sub_time"
                + " FROM private_channel_users_database ORDER BY user_id");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsEntry("id", 1).containsEntry("user_id", BOT_USER)
                .containsEntry("private_channel_id", PRIVATE_CHANNEL).containsEntry("payment_status", "confirmed")
                .containsEntry("is_active", true).containsEntry("nowpayments_payment_id", 2L);
        // the bot's paid row of last month, untouched
        assertThat(rows.get(1)).containsEntry("id", 2).containsEntry("nowpayments_payment_id", 4400000001L);
        assertThat(rows.get(2)).containsEntry("user_id", USER).containsEntry("payment_status", "confirmed")
                .containsEntry("is_active", true).containsEntry("nowpayments_payment_id", 1L)
                .containsEntry("sub_time", 30);
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM command_outbox")).isEqualTo(4);
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM payments WHERE finished_at IS NOT NULL"))
                .isEqualTo(2);
    }

    /**
     * The statement README ("Plugging in the real Telegram bot") tells the bot to write its pending row with once
     * UNIQUE (user_id, private_channel_id) is there; {@link #readmeDocumentsTheStatementsTheseTestsRun} keeps the two
     * equal.
     */
    static final String BOT_PENDING_UPSERT = """
            INSERT INTO private_channel_users_database AS t
                   (user_id, private_channel_id, sub_time, sub_price, client_wallet_address,
                    client_payout_currency, client_payout_network, is_active, payment_status)
            VALUES (?, ?, ?, ?, ?, ?, ?, false, 'pending')
            ON CONFLICT (user_id, private_channel_id) DO UPDATE SET payment_status = 'pending'
             WHERE t.payment_status NOT IN ('processing', 'awaiting_mapping', 'needs_review', 'partially_paid')""";

    /** README's expiry statement for a job that selected the rows first: it rechecks the expiry itself. */
    static final String BOT_EXPIRY_UPDATE = """
            UPDATE private_channel_users_database SET is_active = false
             WHERE user_id = ? AND private_channel_id = ? AND is_active AND expires_at < now()""";

    /** The fixture's row of last month, paid and active (id 2). */
    private static final long PAID_USER = 5000000002L;
    private static final long RENEWAL = 4500000001L;

    /** The bot fixture, changed by {@code botDdl} as some bot's own schema might be, then adopted. */
    private static TestSchema adopted(String name, String botDdl) throws IOException {
        TestSchema adopted = TestSchema.unmigrated(name);
        try (InputStream in = AdoptedBotSchemaIT.class.getClassLoader()
                .getResourceAsStream("bot/telegram_bot_schema.sql")) {
            Tables.execute(adopted.dataSource(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        if (botDdl != null) {
            Tables.execute(adopted.dataSource(), botDdl);
        }
        SchemaMigrator.migrate(adopted.dataSource());
        return adopted;
    }

    /**
     * Found by review: a bot updated_at without a default (NOT NULL: every direct-link payment dead-lettered with
     * 23502; nullable: the row's updated_at NULL, the status API 503). A finished direct-link payment must get its
     * row, with updated_at, and its two commands, on each shape, and also when the default is dropped again after
     * the adoption (then only the sink's own value saves it).
     */
    @Test
    void aDirectLinkPaymentGetsItsRowWhateverTheBotsUpdatedAtLookedLike() throws Exception {
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("bot-updated-at-nn", "ALTER TABLE private_channel_users_database ADD COLUMN updated_at TIMESTAMPTZ"
                + " NOT NULL DEFAULT now(); ALTER TABLE private_channel_users_database ALTER COLUMN updated_at DROP DEFAULT");
        shapes.put("bot-updated-at-null", "ALTER TABLE private_channel_users_database ADD COLUMN updated_at TIMESTAMPTZ");
        shapes.put("bot-updated-at-dropped", null);
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            try (TestSchema db = adopted(shape.getKey(), shape.getValue())) {
                if (shape.getValue() == null) {
                    Tables.execute(db.dataSource(), "ALTER TABLE private_channel_users_database ALTER COLUMN updated_at"
                            + " DROP DEFAULT");
                }

                BatchResult result = new BatchWriter(db.dataSource()).apply(BatchPlan.of(List.of(payment(1).build())));

                assertThat(result.commands()).as(shape.getKey()).hasSize(2);
                assertThat(Tables.rows(db.dataSource(), "SELECT payment_status, is_active, updated_at IS NOT NULL AS dated"
                        + " FROM private_channel_users_database WHERE user_id = " + USER)).as(shape.getKey())
                        .containsExactly(Map.of("payment_status", "confirmed", "is_active", true, "dated", true));
                assertThat(Tables.count(db.dataSource(), "SELECT count(*) FROM command_outbox")).as(shape.getKey())
                        .isEqualTo(2);
            }
        }
    }

    /**
     * Found by review: after the adoption's UNIQUE key, the bot's plain INSERT of a pending row for a renewal failed
     * (23505). README's upsert marks the paid row pending without touching its subscription, never hides a payment
     * in flight, and the renewal's finish then extends the one row once, with one invite and one payout.
     */
    @Test
    void theDocumentedPendingUpsertThenARenewalExtendsTheOneRowOnce() throws Exception {
        try (TestSchema db = adopted("bot-renewal", null)) {
            Tables.execute(db.dataSource(), "UPDATE private_channel_users_database SET expires_at ="
                    + " '2099-01-10T00:00:00Z' WHERE user_id = " + PAID_USER);
            Tables.execute(db.dataSource(), "INSERT INTO private_channel_users_database (user_id, private_channel_id,"
                    + " is_active, payment_status) VALUES (5000000003, " + PRIVATE_CHANNEL + ", false, 'needs_review')");

            try (Connection bot = db.dataSource().getConnection()) {
                for (long user : List.of(PAID_USER, 5000000003L, 5000000004L)) {
                    botPending(bot, user);
                }
            }

            String subscription = "SELECT payment_status, is_active, expires_at = timestamptz '2099-01-10T00:00:00Z'"
                    + " + %s AS expiry FROM private_channel_users_database WHERE user_id = " + PAID_USER;
            assertThat(Tables.rows(db.dataSource(), subscription.formatted("interval '0 days'"))).containsExactly(
                    Map.of("payment_status", "pending", "is_active", true, "expiry", true));
            // a payment under review stays what the customer's page shows; a new user gets an inactive row
            assertThat(Tables.rows(db.dataSource(), "SELECT user_id, payment_status, is_active FROM"
                    + " private_channel_users_database WHERE user_id IN (5000000003, 5000000004) ORDER BY user_id"))
                    .containsExactly(Map.of("user_id", 5000000003L, "payment_status", "needs_review", "is_active", false),
                            Map.of("user_id", 5000000004L, "payment_status", "pending", "is_active", false));

            BatchWriter writer = new BatchWriter(db.dataSource());
            BatchResult renewal = writer.apply(BatchPlan.of(List.of(payment(RENEWAL).user(PAID_USER).build())));
            BatchResult replay = writer.apply(BatchPlan.of(List.of(payment(RENEWAL).user(PAID_USER).build())));

            assertThat(renewal.commands()).hasSize(2);
            assertThat(replay.commands()).isEmpty();
            assertThat(Tables.rows(db.dataSource(), subscription.formatted("interval '30 days'"))).containsExactly(
                    Map.of("payment_status", "confirmed", "is_active", true, "expiry", true));
            assertThat(Tables.count(db.dataSource(), "SELECT count(*) FROM command_outbox")).isEqualTo(2);
        }
    }

    private static void botPending(Connection bot, long user) throws SQLException {
        try (PreparedStatement statement = bot.prepareStatement(BOT_PENDING_UPSERT)) {
            statement.setLong(1, user);
            statement.setLong(2, PRIVATE_CHANNEL);
            statement.setInt(3, 30);
            statement.setBigDecimal(4, new BigDecimal("2.50"));
            statement.setString(5, "0xD031Cb94c419A5D7AA4BA5FDBc9Cc82138651083");
            statement.setString(6, "eth");
            statement.setString(7, "eth");
            statement.executeUpdate();
        }
    }

    /**
     * Found by review: the bot's expiry job selects the expired rows, then deactivates each; a renewal committed in
     * between was undone (paid, extended, inactive). README's UPDATE rechecks the expiry, so it leaves the row.
     */
    @Test
    void theDocumentedExpiryUpdateLeavesARowRenewedAfterItsSelect() throws Exception {
        try (TestSchema db = adopted("bot-expiry", null)) {
            Tables.execute(db.dataSource(), "UPDATE private_channel_users_database SET expires_at = now()"
                    + " - interval '1 minute' WHERE user_id = " + PAID_USER);
            List<long[]> expired = new ArrayList<>();
            for (Map<String, Object> row : Tables.rows(db.dataSource(), "SELECT user_id, private_channel_id FROM"
                    + " private_channel_users_database WHERE is_active AND expires_at < now()")) {
                expired.add(new long[] {(Long) row.get("user_id"), (Long) row.get("private_channel_id")});
            }
            assertThat(expired).hasSize(1);

            BatchResult renewal = new BatchWriter(db.dataSource())
                    .apply(BatchPlan.of(List.of(payment(RENEWAL).user(PAID_USER).build())));
            int deactivated = 0;
            try (Connection bot = db.dataSource().getConnection();
                    PreparedStatement update = bot.prepareStatement(BOT_EXPIRY_UPDATE)) {
                for (long[] row : expired) {
                    update.setLong(1, row[0]);
                    update.setLong(2, row[1]);
                    deactivated += update.executeUpdate();
                }
            }

            assertThat(renewal.commands()).hasSize(2);
            assertThat(deactivated).isZero();
            assertThat(Tables.rows(db.dataSource(), "SELECT is_active, expires_at > now() + interval '29 days' AS extended"
                    + " FROM private_channel_users_database WHERE user_id = " + PAID_USER))
                    .containsExactly(Map.of("is_active", true, "extended", true));
        }
    }

    /** What the bot is told is what these tests run. */
    @Test
    void readmeDocumentsTheStatementsTheseTestsRun() throws IOException {
        String readme = squash(Files.readString(Path.of("..", "README.md")));
        for (String statement : List.of(BOT_PENDING_UPSERT, BOT_EXPIRY_UPDATE)) {
            String documented = squash(statement.replace("?", "%s"))
                    .formatted((Object[]) new String[] {"$1", "$2", "$3", "$4", "$5", "$6", "$7"});
            assertThat(readme.contains(documented)).as("README.md contains %s", documented).isTrue();
        }
    }

    private static String squash(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
