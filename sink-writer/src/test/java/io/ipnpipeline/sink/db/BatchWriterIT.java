package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.PRIVATE_CHANNEL;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.USER;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.sink.batch.BatchPlan;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestSchema;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch transaction against real PostgreSQL: the incident's four test cases and the ledger's promises. */
class BatchWriterIT {

    private static TestSchema schema;
    private BatchWriter writer;

    @BeforeAll
    static void schema() {
        schema = TestSchema.create("batch-writer");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @BeforeEach
    void clean() {
        Tables.execute(schema.dataSource(), "TRUNCATE payments, private_channel_users_database, command_outbox");
        writer = new BatchWriter(schema.dataSource());
    }

    private BatchResult apply(EnrichedPayment... records) throws SQLException {
        return writer.apply(BatchPlan.of(List.of(records)));
    }

    private static Map<String, Object> subscription() {
        List<Map<String, Object>> rows = Tables.rows(schema.dataSource(),
                "SELECT * FROM private_channel_users_database WHERE user_id = " + USER
                        + " AND private_channel_id = " + PRIVATE_CHANNEL);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static long outbox(String kind) {
        return Tables.count(schema.dataSource(), "SELECT count(*) FROM command_outbox WHERE kind = '" + kind + "'");
    }

    private static OffsetDateTime expiresAt() {
        return OffsetDateTime.parse(Tables.rows(schema.dataSource(), "SELECT to_char(expires_at AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS e FROM private_channel_users_database WHERE user_id = "
                + USER).get(0).get("e").toString());
    }

    @Test
    void directLinkCreatesTheRowConfirmedWithOneInviteAndOnePayout() throws Exception {
        apply(payment(1).build());

        Map<String, Object> row = subscription();
        assertThat(row.get("payment_status")).isEqualTo("confirmed");
        assertThat(row.get("is_active")).isEqualTo(true);
        assertThat(row.get("nowpayments_payment_id")).isEqualTo(1L);
        assertThat(row.get("nowpayments_payment_status")).isEqualTo("finished");
        assertThat(row.get("client_wallet_address")).isEqualTo("0xClientWallet");
        assertThat(Duration.between(OffsetDateTime.now(), expiresAt()).toDays()).isBetween(29L, 30L);
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
        Map<String, Object> ledger = Tables.rows(schema.dataSource(), "SELECT * FROM payments").get(0);
        assertThat(ledger.get("finished_at")).isNotNull();
        assertThat(ledger.get("invite_issued_at")).isNotNull();
        assertThat(ledger.get("payout_issued_at")).isNotNull();
        assertThat(ledger.get("last_ipn").toString()).contains("\"payment_id\"");
    }

    /**
     * PostgreSQL stores neither a NUL character in text nor the {@code \u0000} escape in jsonb. An authentic IPN
     * carrying one is still a paid customer: each NUL becomes U+FFFD, and the payment is applied with its commands.
     */
    @Test
    void nulCharactersBecomeReplacementCharactersAndThePaymentIsStillApplied() throws Exception {
        String body = IpnBodyBuilder.incidentPayment().paymentId(1).with("order_description", "30 days\u0000")
                .with("note", "a backslash then u0000: \\u0000").toJson();
        apply(payment(1).rawIpn(body).outcomeCurrency("eth\u0000").build());

        Map<String, Object> ledger = Tables.rows(schema.dataSource(), "SELECT outcome_currency, "
                + "last_ipn->>'order_description' AS description, last_ipn->>'note' AS note FROM payments").get(0);
        assertThat(ledger).containsEntry("outcome_currency", "eth\uFFFD")
                .containsEntry("description", "30 days\uFFFD")
                .containsEntry("note", "a backslash then u0000: \\u0000");
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(Tables.rows(schema.dataSource(), "SELECT payload->>'outcome_currency' AS currency "
                + "FROM command_outbox WHERE kind = 'payout'")).containsExactly(Map.of("currency", "eth\uFFFD"));
    }

    /**
     * JSON.stringify writes a lone UTF-16 surrogate as an escape, the gateway verifies the signature over it, and
     * PostgreSQL's jsonb refuses it (22P02). The finished payment is still applied, once: each unpaired surrogate
     * (escape or character) becomes U+FFFD, a valid pair is kept.
     */
    @Test
    void loneSurrogatesBecomeReplacementCharactersAndTheFinishedPaymentIsStillApplied() throws Exception {
        String body = IpnBodyBuilder.incidentPayment().paymentId(1).with("order_description", "LONE")
                .with("note", "PAIR").toJson()
                .replace("LONE", "Sub to \\ud83d").replace("PAIR", "\\ud83d\\ude00 and \\udc00\\ud83d");
        assertThat(body).contains("Sub to \\ud83d\"");
        apply(payment(1).rawIpn(body).outcomeCurrency("eth\uD83D").build());
        apply(payment(1).rawIpn(body).outcomeCurrency("eth\uD83D").build());

        Map<String, Object> ledger = Tables.rows(schema.dataSource(), "SELECT status, outcome_currency, "
                + "last_ipn->>'order_description' AS description, last_ipn->>'note' AS note FROM payments").get(0);
        assertThat(ledger).containsEntry("status", "finished")
                .containsEntry("outcome_currency", "eth\uFFFD")
                .containsEntry("description", "Sub to \uFFFD")
                .containsEntry("note", "\uD83D\uDE00 and \uFFFD\uFFFD");
        assertThat(subscription()).containsEntry("payment_status", "confirmed").containsEntry("is_active", true);
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
        assertThat(Tables.rows(schema.dataSource(), "SELECT payload->>'outcome_currency' AS currency "
                + "FROM command_outbox WHERE kind = 'payout'")).containsExactly(Map.of("currency", "eth\uFFFD"));
    }

    @Test
    void botFlowUpdatesThePendingRowInPlace() throws Exception {
        long id = Tables.botPendingRow(schema.dataSource(), USER, PRIVATE_CHANNEL);

        apply(payment(1).status(PaymentStatus.WAITING).build());
        assertThat(subscription().get("payment_status")).isEqualTo("processing");
        apply(payment(1).build());

        assertThat(subscription().get("id")).isEqualTo(id);
        assertThat(subscription().get("payment_status")).isEqualTo("confirmed");
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM private_channel_users_database"))
                .isEqualTo(1);
    }

    @Test
    void theSameFinishedRecordFiveTimesGivesOneRowOneInviteOnePayout() throws Exception {
        apply(payment(1).build(), payment(1).build());
        OffsetDateTime expiry = expiresAt();
        for (int i = 0; i < 3; i++) {
            apply(payment(1).build());
        }

        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM private_channel_users_database"))
                .isEqualTo(1);
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
        assertThat(expiresAt()).isEqualTo(expiry);
    }

    @Test
    void aRowDeletedJustBeforeTheIpnIsCreatedAgain() throws Exception {
        Tables.botPendingRow(schema.dataSource(), USER, PRIVATE_CHANNEL);
        Tables.execute(schema.dataSource(), "DELETE FROM private_channel_users_database");

        apply(payment(1).build());

        assertThat(subscription().get("payment_status")).isEqualTo("confirmed");
        assertThat(outbox("invite")).isEqualTo(1);
    }

    @Test
    void outOfOrderStatusesLeaveTheLatestForwardStatus() throws Exception {
        apply(payment(1).status(PaymentStatus.CONFIRMING).build());
        apply(payment(1).build());
        apply(payment(1).status(PaymentStatus.SENDING).build(), payment(1).status(PaymentStatus.WAITING).build());

        assertThat(Tables.rows(schema.dataSource(), "SELECT status, status_word FROM payments"))
                .containsExactly(Map.of("status", "finished", "status_word", "confirmed"));
        assertThat(subscription().get("payment_status")).isEqualTo("confirmed");
        assertThat(outbox("invite")).isEqualTo(1);
    }

    @Test
    void inOneBatchAFinishFollowedByALateOlderStatusStillFinishesOnce() throws Exception {
        apply(payment(1).status(PaymentStatus.CONFIRMING).build(), payment(1).build(),
                payment(1).status(PaymentStatus.CONFIRMING).build());

        assertThat(Tables.rows(schema.dataSource(), "SELECT status FROM payments"))
                .containsExactly(Map.of("status", "finished"));
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
    }

    @Test
    void aReplayedFinishRidingWithARefundIssuesNothingNew() throws Exception {
        apply(payment(1).build());
        OffsetDateTime expiry = expiresAt();

        apply(payment(1).build(), payment(1).status(PaymentStatus.REFUNDED).build());

        assertThat(Tables.rows(schema.dataSource(), "SELECT status FROM payments"))
                .containsExactly(Map.of("status", "refunded"));
        assertThat(subscription().get("payment_status")).isEqualTo("refunded");
        assertThat(expiresAt()).isEqualTo(expiry);
        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
    }

    @Test
    void aFinishAndItsRefundInOneBatchStillIssueTheCommandsOnce() throws Exception {
        apply(payment(1).build(), payment(1).status(PaymentStatus.REFUNDED).build());

        assertThat(outbox("invite")).isEqualTo(1);
        assertThat(outbox("payout")).isEqualTo(1);
        assertThat(subscription().get("is_active")).isEqualTo(true);
    }

    @Test
    void anOlderPaymentsLateStatusDoesNotOverwriteTheNewerPaymentsWord() throws Exception {
        apply(payment(2).status(PaymentStatus.WAITING).build());
        apply(payment(1).status(PaymentStatus.FAILED).build());

        assertThat(subscription().get("payment_status")).isEqualTo("processing");
        assertThat(subscription().get("nowpayments_payment_id")).isEqualTo(2L);
    }

    @Test
    void aRenewalExtendsExpiresAtExactlyOncePerPayment() throws Exception {
        apply(payment(1).build());
        OffsetDateTime first = expiresAt();

        apply(payment(2).days(90).build());
        apply(payment(2).days(90).build(), payment(1).build());

        assertThat(Duration.between(first, expiresAt())).isEqualTo(Duration.ofDays(90));
        assertThat(outbox("invite")).isEqualTo(2);
        assertThat(outbox("payout")).isEqualTo(2);
        // the bot grants access until the row's renewed expiry, not until some other instant
        String invited = Tables.rows(schema.dataSource(), "SELECT payload->>'expires_at' AS e FROM command_outbox "
                + "WHERE command_id = 'invite:2'").get(0).get("e").toString();
        assertThat(Instant.parse(invited)).isEqualTo(expiresAt().toInstant());
    }

    @Test
    void twoRenewalsInOneBatchBothCount() throws Exception {
        apply(payment(1).build(), payment(2).days(90).build());

        assertThat(Duration.between(OffsetDateTime.now(), expiresAt()).toDays()).isBetween(119L, 120L);
        assertThat(outbox("invite")).isEqualTo(2);
    }

    @Test
    void aParkedPaymentReleasedLaterFinishesThen() throws Exception {
        apply(payment(1).awaitingMapping().build());
        assertThat(outbox("invite")).isZero();
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM private_channel_users_database")).isZero();

        apply(payment(1).build());

        assertThat(subscription().get("payment_status")).isEqualTo("confirmed");
        assertThat(outbox("invite")).isEqualTo(1);
    }

    @Test
    void reapplyingEverythingChangesNothing() throws Exception {
        List<EnrichedPayment> all = new ArrayList<>();
        for (long id = 1; id <= 20; id++) {
            all.add(payment(id).status(PaymentStatus.WAITING).user(1000 + id % 7).build());
            all.add(payment(id).status(id % 3 == 0 ? PaymentStatus.EXPIRED : PaymentStatus.FINISHED)
                    .user(1000 + id % 7).build());
        }
        for (EnrichedPayment record : all) {
            apply(record);
        }
        var before = Tables.snapshot(schema.dataSource());

        writer.apply(BatchPlan.of(all));
        for (EnrichedPayment record : all) {
            apply(record);
        }

        assertThat(Tables.snapshot(schema.dataSource())).isEqualTo(before);
    }

    @Test
    void aRecordTheDatabaseRejectsFailsWithADataError() {
        EnrichedPayment broken = payment(1).rawIpn("{not json").build();

        assertThatThrownBy(() -> apply(broken)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(SqlFailures.isRecordsFault(e)).isTrue());
        assertThat(Tables.count(schema.dataSource(), "SELECT count(*) FROM payments")).isZero();
    }
}
