package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.gateway.ops.StuckPayments;
import io.ipnpipeline.ops.cli.OpsCli;
import io.ipnpipeline.ops.stuck.StuckCommand;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestSchema;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        Instant old = Instant.now().minus(Duration.ofMinutes(40));
        payment(5_077_125_051L, "finished", 62, "confirmed", old, true);
        payment(5_077_125_052L, "confirming", 22, "processing", old, false);
        payment(5_077_125_053L, "waiting", 10, "awaiting_mapping", Instant.now(), false);
        // an invoice nobody paid: NOWPayments keeps it waiting for days, nobody waits on it
        payment(5_077_125_054L, "waiting", 12, "processing", Instant.now().minus(Duration.ofDays(2)), false);
        payment(5_077_125_055L, "finished", 61, "needs_review", Instant.now().minus(Duration.ofDays(3)), false);
        sql("UPDATE payments SET review_reason = 'price matches no tier' WHERE payment_id = 5077125055");
        // found by review: a removed channel's abandoned invoices are parked at their final status; no money arrived
        payment(5_077_125_057L, "expired", 70, "awaiting_mapping", old, false);
        payment(5_077_125_058L, "failed", 70, "awaiting_mapping", old, false);
        // a chain confirmation still inside the alert's half hour
        payment(5_077_125_056L, "confirming", 22, "processing", Instant.now().minus(Duration.ofMinutes(20)), false);
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
                .contains("commands for payment 5077125051: invite queued at").contains("payout queued at")
                .contains("command_id:").contains("invite:5077125051").contains("payout:5077125051")
                .doesNotContain("last_ipn:");
        assertThat(Cli.run(env, "payment", "show", "5077125051", "--raw").out()).contains("last_ipn:");
    }

    @Test
    void showsEveryPaymentOfAnOrderIdInAnyOfItsForms() {
        for (String order : new String[] {"PGP-" + USER + "|" + OPEN, "PGP-" + USER + "--1003253338212"}) {
            Cli.Result result = Cli.run(env, "payment", "show", order);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("ledger (payments) #3").contains("invite not queued; payout not queued");
        }
    }

    /**
     * Found by review: invite_issued_at is when the sink queued the command, not when it reached Kafka; with no
     * publisher running (a restore-guard stop, a Kafka outage) every queued payment looked "issued".
     */
    @Test
    void saysPublishedOnlyForCommandsAtOrBelowThePublishersPositionOrFoundInKafka() {
        long invite = outboxId("invite:5077125051");
        long payout = outboxId("payout:5077125051");
        try {
            assertThat(Cli.run(env, "payment", "show", "5077125051").out())
                    .contains("invite queued at").contains("not yet published (outbox_id " + invite
                            + " above the publisher's position (none recorded)")
                    .contains("not yet published (outbox_id " + payout).doesNotContain(", published");

            sql("INSERT INTO command_outbox_published (publisher, position) VALUES ('ipn-sink-outbox', ?)", invite);
            assertThat(Cli.run(env, "payment", "show", "5077125051").out())
                    .contains("published (outbox_id " + invite + " at or below the publisher's position " + invite)
                    .contains("not yet published (outbox_id " + payout + " above the publisher's position " + invite);

            // after a restore the guard records what it found on the command topics
            sql("INSERT INTO command_issued (command_id) VALUES ('payout:5077125051')");
            assertThat(Cli.run(env, "payment", "show", "5077125051").out())
                    .contains("payout queued at").contains("published (payout:5077125051 found on the command topic")
                    .doesNotContain("not yet published");
        } finally {
            sql("DELETE FROM command_outbox_published");
            sql("DELETE FROM command_issued");
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
    void stuckListsByDefaultWhatThePagingAlertsCount() {
        Cli.Result result = Cli.run(env, "stuck");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("1 stuck payment(s) (the alerts' rule: processing older than PT30M,"
                + " awaiting_mapping older than PT10M), paid only").contains("5077125052")
                .doesNotContain("5077125051").doesNotContain("5077125053").doesNotContain("5077125054")
                .doesNotContain("5077125055").doesNotContain("5077125056").doesNotContain("5077125057")
                .doesNotContain("5077125058");
    }

    /**
     * Found by a newcomer: on a terminal 'stuck' printed the count and no payment, because the rows went through
     * print (no auto-flush) into picocli's buffered stdout and OpsMain exited without flushing. This runs what
     * OpsMain runs, with picocli's own writers over System.out.
     */
    @Test
    void stuckThroughTheEntryPointPrintsThePaymentsOnStdout() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        System.setOut(new PrintStream(stdout, false, StandardCharsets.UTF_8));
        try {
            code = OpsCli.execute(OpsCli.commandLine(Env.of(env)), "stuck");
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("1 stuck payment(s)").contains("5077125052");
    }

    @Test
    void stuckListsWaitingAndReviewOnlyWhenAskedAndTakesOneAge() {
        assertThat(Cli.run(env, "stuck", "--include-waiting").out()).startsWith("2 stuck payment(s)")
                .contains("5077125052").contains("5077125054").doesNotContain("5077125053");
        assertThat(Cli.run(env, "stuck", "--needs-review").out()).startsWith("2 stuck payment(s)")
                .contains("5077125052").contains("5077125055 ").contains("reason=price matches no tier");
        assertThat(Cli.run(env, "stuck", "--older-than", "10m").out())
                .startsWith("2 stuck payment(s) older than PT10M, paid only").contains("5077125052")
                .contains("5077125056");
        assertThat(Cli.run(env, "stuck", "--older-than", "1h").out()).startsWith("0 stuck payment(s)");
        assertThat(Cli.run(env, "stuck", "--older-than", "soon").exitCode()).isEqualTo(2);
    }

    /** The list an operator gets from the alert's text is the set the alert counted. */
    @Test
    @SuppressWarnings("try") // the gauges only have to run for the block; closing them is the point
    void stuckByDefaultCountsWhatTheGatewaysGaugeCounts() throws Exception {
        assertThat(StuckCommand.PROCESSING_AFTER).isEqualTo(StuckPayments.PROCESSING_AFTER);
        assertThat(StuckCommand.AWAITING_MAPPING_AFTER).isEqualTo(StuckPayments.AWAITING_MAPPING_AFTER);
        assertThat(StuckCommand.PAID).isEqualTo(StuckPayments.PAID);
        Vertx vertx = Vertx.vertx();
        try {
            MeterRegistry registry = new SimpleMeterRegistry();
            WorkerExecutor workers = vertx.createSharedWorkerExecutor("ops-stuck-it", 1);
            try (StuckPayments ignored = new StuckPayments(vertx, schema.dataSource(), workers, registry)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> !Double.isNaN(gaugeSum(registry)));
                String out = Cli.run(env, "stuck").out();
                assertThat(out).startsWith((long) gaugeSum(registry) + " stuck payment(s)");
            }
        } finally {
            vertx.close().await();
        }
    }

    private static double gaugeSum(MeterRegistry registry) {
        return registry.find(StuckPayments.METRIC).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    private static void payment(long id, String status, int rank, String word, Instant updated, boolean issued) {
        Timestamp at = Timestamp.from(updated);
        sql("INSERT INTO payments (payment_id, order_id, user_id, open_channel_id, private_channel_id, status,"
                + " status_rank, status_word, last_ipn, first_seen_at, updated_at, invite_issued_at, payout_issued_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{\"payment_id\":1}'::jsonb, ?, ?, ?, ?)",
                id, "PGP-" + USER + "|" + OPEN, USER, OPEN, CLOSED, status, rank, word, at, at,
                issued ? at : null, issued ? at : null);
    }

    private static long outboxId(String commandId) {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT outbox_id FROM command_outbox WHERE command_id = ?")) {
            select.setString(1, commandId);
            try (var rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
