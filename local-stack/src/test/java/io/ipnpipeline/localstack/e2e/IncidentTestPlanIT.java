package io.ipnpipeline.localstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.localstack.demo.CommandReader;
import io.ipnpipeline.localstack.demo.IncidentChannel;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.localstack.ipn.StatusClient;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.testsupport.TestInfra;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The incident's Testing Plan, end to end through HTTP (signed IPNs into the gateway, the landing page's
 * status API out) against the real broker and PostgreSQL, with all four services running. Each case is
 * checked in the three places a customer's payment shows: PostgreSQL, the status API, and the command topics
 * as the bot and payout consumers read them (read_committed).
 */
class IncidentTestPlanIT {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(60);
    /** After the first command appears, how long a duplicate would have to show up. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    private static InJvmPipeline pipeline;
    private static final IpnSender SENDER = new IpnSender();

    @BeforeAll
    static void startPipeline() {
        pipeline = InJvmPipeline.start("incident-test-plan");
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** Test Case 1: the user paid through a direct link; no row of theirs exists. */
    @Test
    void directPaymentLinkWithNoPreexistingRowIsRecordedConfirmedAndCommandedOnce() throws Exception {
        Payment payment = newPaymentOnNewChannel();
        assertThat(rowsFor(payment)).isEmpty();

        for (PaymentStatus status : List.of(PaymentStatus.WAITING, PaymentStatus.CONFIRMING, PaymentStatus.FINISHED)) {
            assertAccepted(send(payment, status));
        }

        assertConfirmedEverywhere(payment);
    }

    /** Test Case 2: the bot wrote a pending row first; the IPN updates that row and adds none. */
    @Test
    void botFlowUpdatesThePendingRowWithoutDuplicating() throws Exception {
        Payment payment = newPaymentOnNewChannel();
        long botRowId = insertBotPendingRow(payment);

        for (PaymentStatus status : List.of(PaymentStatus.WAITING, PaymentStatus.CONFIRMING, PaymentStatus.FINISHED)) {
            assertAccepted(send(payment, status));
        }

        assertConfirmedEverywhere(payment);
        assertThat(rowsFor(payment)).singleElement().satisfies(row -> assertThat(row.id()).isEqualTo(botRowId));
    }

    /** Test Case 3: NOWPayments sends the finished IPN five times. */
    @Test
    void fiveRetriesOfTheFinishedIpnChangeNothingAfterTheFirst() throws Exception {
        Payment payment = newPaymentOnNewChannel();

        for (int attempt = 0; attempt < 5; attempt++) {
            assertAccepted(send(payment, PaymentStatus.FINISHED));
        }

        assertConfirmedEverywhere(payment);
        assertThat(ledgerRows(payment)).isEqualTo(1);
    }

    /** Test Case 4: the bot's row is deleted just before the IPN arrives (the race). */
    @Test
    void rowDeletedJustBeforeTheIpnIsRecreated() throws Exception {
        Payment payment = newPaymentOnNewChannel();
        insertBotPendingRow(payment);
        assertAccepted(send(payment, PaymentStatus.WAITING));
        deleteRows(payment);

        assertAccepted(send(payment, PaymentStatus.FINISHED));

        assertConfirmedEverywhere(payment);
    }

    // ---- beyond the plan: a payment that cannot be placed yet must not look like "pending" forever ----

    /** A direct-link payment for a channel the registry does not have yet: the page says so, then confirms. */
    @Test
    void aPaymentForAnUnregisteredChannelShowsAwaitingMappingUntilTheChannelIsRegistered() throws Exception {
        Payment payment = newPayment();

        for (PaymentStatus status : List.of(PaymentStatus.WAITING, PaymentStatus.FINISHED)) {
            assertAccepted(send(payment, status));
        }
        awaitStatusWord(payment, "awaiting_mapping");
        assertThat(rowsFor(payment)).isEmpty();

        payment.channel().upsert(pipeline.schema().dataSource());
        assertConfirmedEverywhere(payment);
    }

    /** A price that matches none of the channel's tiers is held for review, and the page says so. */
    @Test
    void aPaymentWhosePriceMatchesNoTierShowsNeedsReview() throws Exception {
        Payment payment = newPaymentOnNewChannel();

        assertAccepted(send(body(payment, PaymentStatus.FINISHED).priceAmount("3.33")));

        awaitStatusWord(payment, "needs_review");
        assertThat(rowsFor(payment)).isEmpty();
    }

    // ---- the three places ----

    private static void awaitStatusWord(Payment payment, String word) {
        StatusClient status = new StatusClient(pipeline.gatewayUrl());
        await().atMost(CONFIRM_TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(pipeline.fatal()).as("a service died").isNull();
            StatusClient.Answer answer = status.status(payment.orderId());
            assertThat(answer.httpStatus()).isEqualTo(200);
            assertThat(answer.status()).as(answer.body()).isEqualTo(word);
        });
    }

    private static void assertConfirmedEverywhere(Payment payment) throws Exception {
        // 1. the status API, as the landing page polls it
        awaitStatusWord(payment, "confirmed");
        StatusClient status = new StatusClient(pipeline.gatewayUrl());
        StatusClient.Answer answer = status.status(payment.orderId());
        // the order id is guessable: the answer carries these four fields and nothing about money or wallets
        JsonNode body = Json.mapper().readTree(answer.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("order_id", "status", "updated_at", "message");
        assertThat(answer.body()).doesNotContain(payment.channel().walletAddress());
        assertThat(body.get("message").asText()).doesNotContain("2.5");

        // 2. PostgreSQL: one subscription row, confirmed, with the payment's fields and the tier's 30 days
        assertThat(rowsFor(payment)).singleElement().satisfies(row -> {
            assertThat(row.paymentStatus()).isEqualTo("confirmed");
            assertThat(row.nowpaymentsPaymentId()).isEqualTo(payment.paymentId());
            assertThat(row.nowpaymentsStatus()).isEqualTo("finished");
            assertThat(row.subTime()).isEqualTo(30);
            assertThat(row.subPrice()).isEqualByComparingTo("2.50");
            assertThat(row.wallet()).isEqualTo(payment.channel().walletAddress());
        });

        // 3. the command topics, read_committed: exactly one invite and one payout, with deterministic ids
        List<ConsumerRecord<String, InviteCommand>> invites = commands(Topics.COMMANDS_INVITE, payment);
        List<ConsumerRecord<String, PayoutCommand>> payouts = commands(Topics.COMMANDS_PAYOUT, payment);
        assertThat(invites).singleElement().satisfies(record -> {
            assertThat(header(record)).isEqualTo(CommandIds.invite(payment.paymentId()));
            assertThat(record.value().userId()).isEqualTo(payment.userId());
            assertThat(record.value().privateChannelId()).isEqualTo(payment.channel().closedChannelId());
            assertThat(record.value().subscriptionDays()).isEqualTo(30);
        });
        assertThat(payouts).singleElement().satisfies(record -> {
            assertThat(header(record)).isEqualTo(CommandIds.payout(payment.paymentId()));
            assertThat(record.value().clientWalletAddress()).isEqualTo(payment.channel().walletAddress());
            assertThat(record.value().outcomeAmount()).isEqualByComparingTo(new BigDecimal("0.00061819"));
            assertThat(record.value().priceAmount()).isEqualByComparingTo(new BigDecimal("2.5"));
        });
    }

    private static <V> List<ConsumerRecord<String, V>> commands(TopicSpec<String, V> spec, Payment payment) {
        String key = Long.toString(payment.paymentId());
        return new CommandReader(TestInfra.bootstrapServers()).read(spec, pipeline.topics().name(spec), key::equals,
                1, CONFIRM_TIMEOUT, SETTLE);
    }

    private static String header(ConsumerRecord<String, ?> record) {
        return new String(record.headers().lastHeader(CommandIds.HEADER).value(), StandardCharsets.UTF_8);
    }

    // ---- test data: each case its own user, channel and payment, so cases never see each other's rows ----

    record Payment(long paymentId, long userId, IncidentChannel channel) {
        String orderId() {
            return "PGP-" + userId + "|" + channel.openChannelId();
        }
    }

    private static Payment newPaymentOnNewChannel() throws SQLException {
        Payment payment = newPayment();
        payment.channel().upsert(pipeline.schema().dataSource());
        return payment;
    }

    /** A payment for a channel of its own that is not registered yet. */
    private static Payment newPayment() {
        long n = IDS.incrementAndGet();
        IncidentChannel channel = IncidentChannel.incident()
                .withIds(-1003253000000L - n, -1003016000000L - n);
        return new Payment(4479100000L + n, 6271400000L + n, channel);
    }

    private static IpnSender.Response send(Payment payment, PaymentStatus status) throws Exception {
        return send(body(payment, status));
    }

    private static IpnBodyBuilder body(Payment payment, PaymentStatus status) {
        return IpnBodyBuilder.incidentPayment()
                .paymentId(payment.paymentId())
                .order(payment.userId(), payment.channel().openChannelId())
                .status(status);
    }

    private static IpnSender.Response send(IpnBodyBuilder body) throws Exception {
        return SENDER.send(IpnSender.ipnUrl(pipeline.gatewayUrl()), body.toBytes(),
                new Secret(InJvmPipeline.IPN_SECRET));
    }

    private static void assertAccepted(IpnSender.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    // ---- PostgreSQL, as the bot and an operator see it ----

    record SubscriptionRow(long id, String paymentStatus, Long nowpaymentsPaymentId, String nowpaymentsStatus,
            Integer subTime, BigDecimal subPrice, String wallet) {
    }

    private static long insertBotPendingRow(Payment payment) throws SQLException {
        String sql = "INSERT INTO private_channel_users_database (user_id, private_channel_id, payment_status)"
                + " VALUES (?, ?, 'pending') RETURNING id";
        try (Connection connection = pipeline.schema().dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, payment.userId());
            statement.setLong(2, payment.channel().closedChannelId());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void deleteRows(Payment payment) throws SQLException {
        try (Connection connection = pipeline.schema().dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM private_channel_users_database WHERE user_id = ? AND private_channel_id = ?")) {
            statement.setLong(1, payment.userId());
            statement.setLong(2, payment.channel().closedChannelId());
            statement.executeUpdate();
        }
    }

    private static List<SubscriptionRow> rowsFor(Payment payment) throws SQLException {
        String sql = "SELECT id, payment_status, nowpayments_payment_id, nowpayments_payment_status, sub_time,"
                + " sub_price, client_wallet_address FROM private_channel_users_database"
                + " WHERE user_id = ? AND private_channel_id = ? ORDER BY id";
        List<SubscriptionRow> found = new ArrayList<>();
        try (Connection connection = pipeline.schema().dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, payment.userId());
            statement.setLong(2, payment.channel().closedChannelId());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new SubscriptionRow(rows.getLong(1), rows.getString(2),
                            rows.getObject(3, Long.class), rows.getString(4),
                            rows.getObject(5, Integer.class), rows.getBigDecimal(6), rows.getString(7)));
                }
            }
        }
        return found;
    }

    private static int ledgerRows(Payment payment) throws SQLException {
        try (Connection connection = pipeline.schema().dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM payments WHERE payment_id = ?")) {
            statement.setLong(1, payment.paymentId());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
