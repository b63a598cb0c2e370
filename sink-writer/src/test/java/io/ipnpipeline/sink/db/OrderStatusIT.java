package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.OPEN_CHANNEL;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.PRIVATE_CHANNEL;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.USER;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.gateway.status.PaymentStatusRepository;
import io.ipnpipeline.sink.batch.BatchPlan;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract 5 across the sink and the status API: which payment of an order (every payment of a user for a channel
 * shares the order id) the customer's page shows. Each case runs the sink's batches, then asks the gateway's
 * repository and reads the subscription row: the two must say the same word.
 */
class OrderStatusIT {

    private static final OrderId ORDER = new OrderId(USER, OPEN_CHANNEL, OrderId.Form.PIPE);

    private static TestSchema schema;
    private BatchWriter writer;
    private PaymentStatusRepository statusApi;

    @BeforeAll
    static void schema() {
        schema = TestSchema.create("order-status");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @BeforeEach
    void clean() {
        Tables.execute(schema.dataSource(), "TRUNCATE payments, private_channel_users_database, command_outbox, "
                + "main_clients_database");
        // the status API finds the subscription row through the channel registry
        Tables.execute(schema.dataSource(), "INSERT INTO main_clients_database (open_channel_id, closed_channel_id, "
                + "client_wallet_address, client_payout_currency, client_payout_network, sub_1_price, sub_1_time) "
                + "VALUES (" + OPEN_CHANNEL + ", " + PRIVATE_CHANNEL + ", '0xClientWallet', 'eth', 'eth', 2.50, 30)");
        writer = new BatchWriter(schema.dataSource());
        statusApi = new PaymentStatusRepository(schema.dataSource());
    }

    /** Each record in its own batch, as IPNs minutes apart arrive. */
    private void ipns(EnrichedPayment... records) throws SQLException {
        for (EnrichedPayment record : records) {
            writer.apply(BatchPlan.of(List.of(record)));
        }
    }

    private String statusApiWord() throws SQLException {
        return statusApi.find(ORDER).map(known -> known.word().word()).orElse("pending");
    }

    private static Map<String, Object> row() {
        List<Map<String, Object>> rows = Tables.rows(schema.dataSource(), "SELECT * FROM private_channel_users_database"
                + " WHERE user_id = " + USER + " AND private_channel_id = " + PRIVATE_CHANNEL);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static long outbox(String kind) {
        return Tables.count(schema.dataSource(), "SELECT count(*) FROM command_outbox WHERE kind = '" + kind + "'");
    }

    private void assertShows(String word) throws SQLException {
        assertThat(statusApiWord()).as("status API").isEqualTo(word);
        assertThat(row().get("payment_status")).as("subscription row").isEqualTo(word);
    }

    /** Case A: two invoices of one order, the customer pays the older one; the newer one is abandoned. */
    @Test
    void payingTheOlderOfTwoInvoicesShowsConfirmedAndTheOtherExpiringChangesNothing() throws Exception {
        ipns(payment(100).status(PaymentStatus.WAITING).build(), payment(200).status(PaymentStatus.WAITING).build(),
                payment(100).status(PaymentStatus.CONFIRMING).build(), payment(100).build());

        assertShows("confirmed");
        assertThat(row()).containsEntry("is_active", true).containsEntry("nowpayments_payment_id", 100L)
                .containsEntry("nowpayments_payment_status", "finished");
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
        Object updatedAt = row().get("updated_at");

        ipns(payment(200).status(PaymentStatus.EXPIRED).build());

        assertShows("confirmed");
        assertThat(row()).containsEntry("is_active", true).containsEntry("nowpayments_payment_id", 100L)
                .containsEntry("updated_at", updatedAt);
    }

    /** Case B: the paid payment finished, then the first IPN ever of an abandoned lower-id invoice: expired. */
    @Test
    void anAbandonedInvoicesFirstIpnArrivingAsExpiredDoesNotHideThePaidPayment() throws Exception {
        ipns(payment(200).build());
        Map<String, Object> before = row();

        ipns(payment(100).status(PaymentStatus.EXPIRED).build());

        assertShows("confirmed");
        assertThat(row()).isEqualTo(before);
    }

    @Test
    void aRenewalInProgressShowsProcessingAndConfirmedOnceItFinishes() throws Exception {
        ipns(payment(1).build());
        assertShows("confirmed");

        ipns(payment(2).status(PaymentStatus.WAITING).build());
        assertShows("processing");
        // the subscription's paid payment stays on the row while the renewal is unpaid
        assertThat(row()).containsEntry("nowpayments_payment_id", 1L).containsEntry("is_active", true);

        ipns(payment(2).build());
        assertShows("confirmed");
        assertThat(row()).containsEntry("nowpayments_payment_id", 2L);
        assertThat(outbox("invite")).isEqualTo(2);
    }

    @Test
    void anAbandonedRenewalFallsBackToThePaidPayment() throws Exception {
        ipns(payment(1).build(), payment(2).status(PaymentStatus.WAITING).build());
        assertShows("processing");

        ipns(payment(2).status(PaymentStatus.EXPIRED).build());

        assertShows("confirmed");
    }

    @Test
    void aRefundOfThePaidPaymentShowsRefunded() throws Exception {
        ipns(payment(100).build(), payment(200).status(PaymentStatus.EXPIRED).build());

        ipns(payment(100).status(PaymentStatus.REFUNDED).build());

        assertShows("refunded");
        assertThat(row()).containsEntry("nowpayments_payment_status", "refunded");
    }

    /** Issue 5 point 1: payment_status holds needs_review too; a paid payment held for review is not "pending". */
    @Test
    void aPaidPaymentHeldForReviewShowsNeedsReviewOnTheBotsPendingRowAndActivatesNothing() throws Exception {
        long id = Tables.botPendingRow(schema.dataSource(), USER, PRIVATE_CHANNEL);

        ipns(payment(1).heldForReview("price matches no tier").build());

        assertShows("needs_review");
        assertThat(row()).containsEntry("id", id).containsEntry("is_active", false).containsEntry("expires_at", null)
                .containsEntry("nowpayments_payment_id", null);
        assertThat(outbox("invite")).isZero();
        assertThat(outbox("payout")).isZero();
    }

    @Test
    void aPaymentHeldForReviewNeverCreatesARow() throws Exception {
        ipns(payment(1).heldForReview("price matches no tier").build());

        assertThat(statusApiWord()).isEqualTo(StatusWord.NEEDS_REVIEW.word());
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM private_channel_users_database")).isZero();
    }

    /**
     * Two sink instances apply two payments of one order at once: the one that finishes P100 holds the order's
     * lock; the other (P200 expiring) must wait and then read the ledger with P100 finished, or the row would keep
     * the word from before the finish.
     */
    @Test
    void aBatchWaitsForAnotherInstancesChangeToTheSameOrder() throws Exception {
        ipns(payment(100).status(PaymentStatus.WAITING).build(), payment(200).status(PaymentStatus.WAITING).build());
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection instance = schema.dataSource().getConnection()) {
            instance.setAutoCommit(false);
            try (Statement sql = instance.createStatement()) {
                sql.execute("SELECT pg_advisory_xact_lock(" + OrderLocks.NAMESPACE + ", "
                        + OrderLocks.key(USER, OPEN_CHANNEL) + ")");
                sql.execute("UPDATE payments SET status = 'finished', status_rank = 62, status_word = 'confirmed', "
                        + "updated_at = now() WHERE payment_id = 100");
            }
            Future<?> expiring = other.submit(() -> {
                ipns(payment(200).status(PaymentStatus.EXPIRED).build());
                return null;
            });
            assertThatThrownBy(() -> expiring.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            instance.commit();
            expiring.get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }

        assertShows("confirmed");
    }

    /**
     * Three sink transactions (three connections): batch W starts first but waits for another order's lock, held by
     * X; batch H starts later, takes this order's lock at once and commits P200 confirming; then X commits and W
     * applies P100's finish. W's change of the order is the later one, so it is what the order shows: stamped with
     * W's transaction start (before H's) it would look older, and the status API would say "processing" for a paid
     * order whose row says "confirmed".
     */
    @Test
    void aBatchThatStartedFirstButGotTheOrderLastIsTheOrdersLatestChange() throws Exception {
        ipns(payment(100).status(PaymentStatus.WAITING).build(), payment(200).status(PaymentStatus.WAITING).build());
        int orderKey = OrderLocks.key(USER, OPEN_CHANNEL);
        long otherUser = USER + 1;
        while (OrderLocks.key(otherUser, OPEN_CHANNEL) >= orderKey) {
            otherUser++;
        }
        // W locks its keys lowest first: the other order's, then this one's
        int otherKey = OrderLocks.key(otherUser, OPEN_CHANNEL);
        EnrichedPayment otherOrder = payment(300).user(otherUser).status(PaymentStatus.WAITING).build();
        ExecutorService instanceW = Executors.newSingleThreadExecutor();
        try (Connection x = schema.dataSource().getConnection()) {
            x.setAutoCommit(false);
            try (Statement sql = x.createStatement()) {
                sql.execute("SELECT pg_advisory_xact_lock(" + OrderLocks.NAMESPACE + ", " + otherKey + ")");
            }
            Future<?> w = instanceW.submit(() -> {
                writer.apply(BatchPlan.of(List.of(otherOrder, payment(100).build())));
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingForOrderLock(otherKey));

            ipns(payment(200).status(PaymentStatus.CONFIRMING).build());
            assertThat(w).isNotDone();
            x.commit();
            w.get(30, TimeUnit.SECONDS);
        } finally {
            instanceW.shutdownNow();
        }

        assertShows("confirmed");
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM payments AS p100, payments AS p200 "
                + "WHERE p100.payment_id = 100 AND p200.payment_id = 200 AND p100.updated_at > p200.updated_at "
                + "AND p100.finished_at = p100.updated_at")).as("P100's finish stamped after P200's change").isOne();
        assertThat(outbox("invite")).isEqualTo(1);
    }

    /** A session of this database waits for the order lock {@code key} (two-int advisory locks: classid, objid). */
    private static boolean waitingForOrderLock(int key) {
        return Tables.count(schema.dataSource(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND classid = " + OrderLocks.NAMESPACE + " AND objid = " + Integer.toUnsignedLong(key)
                + " AND objsubid = 2") > 0;
    }

    @Test
    void aReplayOfEveryCaseLeavesTheTablesAsTheyWere() throws Exception {
        Tables.botPendingRow(schema.dataSource(), USER + 1, PRIVATE_CHANNEL);
        List<EnrichedPayment> all = List.of(payment(100).status(PaymentStatus.WAITING).build(),
                payment(200).status(PaymentStatus.WAITING).build(), payment(100).build(),
                payment(200).status(PaymentStatus.EXPIRED).build(), payment(50).status(PaymentStatus.EXPIRED).build(),
                payment(300).status(PaymentStatus.WAITING).build(), payment(100).status(PaymentStatus.REFUNDED).build(),
                payment(7).heldForReview("price matches no tier").user(USER + 1).build());
        ipns(all.toArray(EnrichedPayment[]::new));
        var before = Tables.snapshot(schema.dataSource());

        writer.apply(BatchPlan.of(all));
        ipns(all.toArray(EnrichedPayment[]::new));

        assertThat(Tables.snapshot(schema.dataSource())).isEqualTo(before);
    }
}
