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
import java.nio.charset.StandardCharsets;
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
}
