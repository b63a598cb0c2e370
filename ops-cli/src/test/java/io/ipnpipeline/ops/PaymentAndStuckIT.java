package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** payment show and stuck against the real schema (all migrations on the classpath, outbox included). */
class PaymentAndStuckIT {

    private static final long USER = 6_271_402_111L;
    private static final long OPEN = -1_003_253_338_212L;
    private static final long CLOSED = -1_003_999_000_111L;
    private static TestSchema schema;
    private static Map<String, String> env;

    @BeforeAll
    static void setUp() {
        schema = TestSchema.create("ops-payment");
        env = Cli.env(TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-payment"), schema);
        sql("INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,"
                + " client_payout_currency, client_payout_network, sub_1_price, sub_1_time)"
                + " VALUES (?, ?, 'wallet-1', 'usdt', 'trx', 2.50, 30)", OPEN, CLOSED);
        Instant old = Instant.now().minus(Duration.ofMinutes(30));
        payment(5_077_125_051L, "finished", 62, "confirmed", old, true);
        payment(5_077_125_052L, "confirming", 22, "processing", old, false);
        payment(5_077_125_053L, "waiting", 10, "awaiting_mapping", Instant.now(), false);
        sql("INSERT INTO private_channel_users_database (user_id, private_channel_id, sub_time, payment_status,"
                + " nowpayments_payment_id) VALUES (?, ?, 30, 'confirmed', 5077125051)", USER, CLOSED);
        sql("INSERT INTO command_outbox (command_id, kind, message_key, payload) VALUES"
                + " ('invite:5077125051', 'invite', '5077125051', '{}'::jsonb),"
                + " ('payout:5077125051', 'payout', '5077125051', '{}'::jsonb)");
    }

    @AfterAll
    static void tearDown() {
        schema.close();
    }

    @Test
    void showsLedgerSubscriptionAndCommandsByPaymentId() {
        Cli.Result result = Cli.run(env, "payment", "show", "5077125051");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("ledger (payments) #1").contains("payment_id:").contains("5077125051")
                .contains("status_word:").contains("confirmed")
                .contains("subscription (private_channel_users_database) #1").contains("sub_time:")
                .contains("commands for payment 5077125051: invite issued at").contains("payout issued at")
                .contains("command_id:").contains("invite:5077125051").contains("payout:5077125051")
                .doesNotContain("last_ipn:");
        assertThat(Cli.run(env, "payment", "show", "5077125051", "--raw").out()).contains("last_ipn:");
    }

    @Test
    void showsEveryPaymentOfAnOrderIdInAnyOfItsForms() {
        for (String order : new String[] {"PGP-" + USER + "|" + OPEN, "PGP-" + USER + "--1003253338212"}) {
            Cli.Result result = Cli.run(env, "payment", "show", order);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("ledger (payments) #3").contains("invite issued no");
        }
    }

    @Test
    void unknownPaymentIsNotFoundAndGarbageIsAUsageError() {
        assertThat(Cli.run(env, "payment", "show", "1").exitCode()).isEqualTo(4);
        Cli.Result garbage = Cli.run(env, "payment", "show", "hello");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("neither a payment id");
        // found by review: nineteen digits beyond a long ended in a stack trace
        Cli.Result tooLarge = Cli.run(env, "payment", "show", "9999999999999999999");
        assertThat(tooLarge.exitCode()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("too large for a payment id").doesNotContain("Exception");
    }

    @Test
    void stuckListsOnlyUnsettledPaymentsOlderThanTheThreshold() {
        Cli.Result result = Cli.run(env, "stuck", "--older-than", "10m");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("1 stuck payment(s) older than PT10M").contains("5077125052")
                .doesNotContain("5077125051").doesNotContain("5077125053");
        assertThat(Cli.run(env, "stuck", "--older-than", "1h").out()).startsWith("0 stuck payment(s)");
        assertThat(Cli.run(env, "stuck", "--older-than", "soon").exitCode()).isEqualTo(2);
    }

    private static void payment(long id, String status, int rank, String word, Instant updated, boolean issued) {
        Timestamp at = Timestamp.from(updated);
        sql("INSERT INTO payments (payment_id, order_id, user_id, open_channel_id, private_channel_id, status,"
                + " status_rank, status_word, last_ipn, first_seen_at, updated_at, invite_issued_at, payout_issued_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{\"payment_id\":1}'::jsonb, ?, ?, ?, ?)",
                id, "PGP-" + USER + "|" + OPEN, USER, OPEN, CLOSED, status, rank, word, at, at,
                issued ? at : null, issued ? at : null);
    }

    private static void sql(String statement, Object... values) {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < values.length; i++) {
                prepared.setObject(i + 1, values[i]);
            }
            prepared.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
