package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.sink.SinkService;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import io.ipnpipeline.ops.config.NowPaymentsConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code payment retry} with the real processor and sink: a paid payment held in review because the owner changed
 * the tier price while the invoice was open gets exactly one invite and one payout once the tier is fixed and an
 * operator retries it; NOWPayments' own retry cannot do it (dropped as a repeat), and retrying twice issues nothing
 * twice.
 */
class ReviewRetryIT {

    private static final long USER = 6_271_402_333L;
    private static final long CHANNEL = -1_003_253_338_777L;
    private static final long PRIVATE_CHANNEL = -1_002_098_765_777L;
    private static final String ORDER = "PGP-" + USER + "|" + CHANNEL;
    /** A second channel, its tiers never changed: the review exits below do not depend on the tier test's order. */
    private static final long CHANNEL_2 = -1_003_253_338_778L;
    private static final long PRIVATE_CHANNEL_2 = -1_002_098_765_778L;
    private static final String ORDER_2 = "PGP-" + USER + "|" + CHANNEL_2;

    private static TestSchema schema;
    private static TopicNames topics;
    private static Map<String, String> env;
    private static ProcessorService processor;
    private static SinkService sink;
    private static FakeNowPayments api;

    @BeforeAll
    static void start() throws IOException {
        api = new FakeNowPayments();
        schema = TestSchema.create("ops-review-retry");
        topics = TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-review-retry");
        env = Cli.env(topics, schema);
        env.put(ProcessorConfig.APPLICATION_ID, TestNames.unique("ops-retry-processor"));
        env.put(ProcessorConfig.STATE_DIR, Path.of("target", "kafka-streams").toAbsolutePath().toString());
        env.put(ProcessorConfig.OPS_PORT, "0");
        env.put(ProcessorConfig.COMMIT_INTERVAL_MS, "20");
        env.put(SinkConfig.OPS_PORT, "0");
        env.put(SinkConfig.MIGRATE, "false");
        env.put(SinkConfig.CONSUMER_GROUP, TestNames.unique("ops-retry-sink"));
        env.put(SinkConfig.TRANSACTIONAL_ID, TestNames.unique("ops-retry-outbox"));
        env.put(NowPaymentsConfig.API_URL, api.url());
        env.put(NowPaymentsConfig.API_KEY, FakeNowPayments.API_KEY);
        env.put(NowPaymentsConfig.RETRY_BACKOFF_MS, "10");
        publishMapping(CHANNEL_2, PRIVATE_CHANNEL_2, "2.50");
        // the owner raised the only tier to 3.00 while the customer's 2.50 invoice was open
        publishMapping("3.00");
        processor = ProcessorService.start(ProcessorConfig.fromEnv(Env.of(env)));
        sink = SinkService.start(SinkConfig.fromEnv(Env.of(env)));
        await().atMost(Duration.ofSeconds(90)).until(() -> sink.isReady());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {sink, processor, api}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        schema.close();
    }

    @Test
    void aFinishedPaymentInReviewGetsOneInviteAndOnePayoutOnceTheTierIsFixedAndItIsRetried() throws Exception {
        long paymentId = 5_910_000_001L;
        sendIpn(paymentId, PaymentStatus.FINISHED);
        await().atMost(Duration.ofSeconds(60)).until(() -> "needs_review".equals(ledger(paymentId, "status_word")));
        assertThat(ledger(paymentId, "status_rank")).isEqualTo("61");
        assertThat(ledger(paymentId, "review_reason")).isEqualTo("price matches no tier");

        // the operator restores the price; a probe payment placed by the processor shows it has the new mapping
        publishMapping("2.50");
        long probe = 5_910_000_002L;
        sendIpn(probe, PaymentStatus.CONFIRMING);
        await().atMost(Duration.ofSeconds(60)).until(() -> "processing".equals(ledger(probe, "status_word")));

        // NOWPayments retries the same IPN: the processor's dedupe drops it as a repeat, the customer stays stuck
        double repeats = processor.metrics().count("ipn.processor.dedupe.dropped", "kind", "repeat");
        sendIpn(paymentId, PaymentStatus.FINISHED);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                processor.metrics().count("ipn.processor.dedupe.dropped", "kind", "repeat") > repeats);
        assertThat(ledger(paymentId, "status_word")).isEqualTo("needs_review");

        // two retries while the sink is down: both accepted (the row is still in review), both reach the sink
        sink.close();
        for (int i = 0; i < 2; i++) {
            Cli.Result retry = Cli.run(env, "payment", "retry", Long.toString(paymentId));
            assertThat(retry.exitCode()).as(retry.toString()).isZero();
            assertThat(retry.out()).contains("sent payment " + paymentId + " (finished, in review: price matches no"
                    + " tier) to " + TestTopic.of(topics, Topics.IPN_RAW).name());
        }
        List<ConsumerRecord<String, byte[]>> retried = TestKafka.readAll(TestInfra.bootstrapServers(),
                TestTopic.of(topics, Topics.IPN_RAW)).stream()
                .filter(record -> record.key().equals(Long.toString(paymentId))).toList();
        assertThat(retried).hasSize(4);
        assertThat(new String(retried.get(3).headers().lastHeader(HeaderNames.IPN_SOURCE).value(), StandardCharsets.UTF_8))
                .isEqualTo(HeaderNames.SOURCE_RECONCILIATION);
        sink = SinkService.start(SinkConfig.fromEnv(Env.of(env)));

        await().atMost(Duration.ofSeconds(60)).until(() -> "confirmed".equals(ledger(paymentId, "status_word")));
        assertThat(ledger(paymentId, "status_rank")).isEqualTo("62");
        assertThat(ledger(paymentId, "finished_at")).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> published(Topics.COMMANDS_INVITE, paymentId) == 1
                && published(Topics.COMMANDS_PAYOUT, paymentId) == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> outboxRows(paymentId) == 2);
        assertThat(published(Topics.COMMANDS_INVITE, paymentId)).isEqualTo(1);
        assertThat(published(Topics.COMMANDS_PAYOUT, paymentId)).isEqualTo(1);

        // once placed, a third retry is refused and sends nothing
        int before = TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW)).size();
        Cli.Result third = Cli.run(env, "payment", "retry", Long.toString(paymentId));
        assertThat(third.exitCode()).as(third.toString()).isEqualTo(3);
        assertThat(third.err()).contains("payment " + paymentId + " is not in review (it is finished/confirmed)")
                .contains("nothing sent");
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW)))
                .hasSize(before);
    }

    /**
     * NOWPayments' finished IPN came without outcome_amount: held, since there is nothing to pay out. Its complete
     * re-send would be dropped as a repeat and the stored IPN lacks the amount; only NOWPayments' own API record
     * places it.
     */
    @Test
    void aFinishedPaymentWithoutAPayoutAmountIsPlacedOnceFromNowPaymentsRecord() throws Exception {
        long paymentId = 5_910_000_011L;
        sendIpn(IpnBodyBuilder.incidentPayment().paymentId(paymentId).orderId(ORDER_2).priceAmount("2.50")
                .without("outcome_amount").without("outcome_currency"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "needs_review".equals(ledger(paymentId, "status_word")));
        assertThat(ledger(paymentId, "review_reason")).startsWith("finished without a payout amount");
        api.add(paymentId, PaymentStatus.FINISHED, ORDER_2);

        // not a repeated deposit: nothing to accept, nothing sent
        int before = rawRecords();
        Cli.Result wrongFlag = Cli.run(env, "payment", "retry", Long.toString(paymentId), "--accept-repeated-deposit");
        assertThat(wrongFlag.exitCode()).as(wrongFlag.toString()).isEqualTo(3);
        assertThat(wrongFlag.err()).contains("not a repeated deposit").contains("nothing sent");
        assertThat(rawRecords()).isEqualTo(before);

        Cli.Result retry = Cli.run(env, "payment", "retry", Long.toString(paymentId), "--from-nowpayments");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("sent payment " + paymentId).contains("from the NOWPayments API");
        assertThat(api.requests).anySatisfy(uri -> assertThat(uri.getPath()).isEqualTo("/v1/payment/" + paymentId));

        await().atMost(Duration.ofSeconds(60)).until(() -> "confirmed".equals(ledger(paymentId, "status_word")));
        assertThat(ledger(paymentId, "outcome_amount")).isEqualTo("0.00061819");
        await().atMost(Duration.ofSeconds(30)).until(() -> published(Topics.COMMANDS_INVITE, paymentId) == 1
                && published(Topics.COMMANDS_PAYOUT, paymentId) == 1);

        // once placed, again is refused before NOWPayments is asked, and nothing more is issued
        int requests = api.requests.size();
        before = rawRecords();
        Cli.Result again = Cli.run(env, "payment", "retry", Long.toString(paymentId), "--from-nowpayments");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.err()).contains("is not in review (it is finished/confirmed)").contains("nothing sent");
        assertThat(api.requests).hasSize(requests);
        assertThat(rawRecords()).isEqualTo(before);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> outboxRows(paymentId) == 2);
        assertThat(published(Topics.COMMANDS_INVITE, paymentId)).isEqualTo(1);
        assertThat(published(Topics.COMMANDS_PAYOUT, paymentId)).isEqualTo(1);
    }

    /**
     * A customer tops up a partially_paid payment: NOWPayments makes the second deposit a payment of its own with
     * parent_payment_id set. Held; a plain retry holds it again; the operator's decision places it with its own
     * invite and payout, and the parent stays partially_paid.
     */
    @Test
    void aRepeatedDepositIsPlacedOnlyOnTheOperatorsDecisionWithItsOwnInviteAndPayout() throws Exception {
        long parent = 5_910_000_021L;
        long child = 5_910_000_022L;
        sendIpn(IpnBodyBuilder.incidentPayment().paymentId(parent).status(PaymentStatus.PARTIALLY_PAID)
                .orderId(ORDER_2).priceAmount("2.50").without("outcome_amount").without("outcome_currency"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "partially_paid".equals(ledger(parent, "status")));
        sendIpn(IpnBodyBuilder.incidentPayment().paymentId(child).orderId(ORDER_2).priceAmount("2.50")
                .with("parent_payment_id", parent));
        await().atMost(Duration.ofSeconds(60)).until(() -> "needs_review".equals(ledger(child, "status_word")));
        assertThat(ledger(child, "review_reason")).isEqualTo("repeated deposit to payment " + parent);

        double held = processor.metrics().count("ipn.processor.needs_review");
        Cli.Result plain = Cli.run(env, "payment", "retry", Long.toString(child));
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains("it is a repeated deposit to payment " + parent)
                .contains("--accept-repeated-deposit");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                processor.metrics().count("ipn.processor.needs_review") > held);
        assertThat(ledger(child, "status_word")).isEqualTo("needs_review");

        Cli.Result accepted = Cli.run(env, "payment", "retry", Long.toString(child), "--accept-repeated-deposit");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(accepted.out()).contains("accepted as a payment of its own (repeated deposit to payment "
                + parent + ")");

        await().atMost(Duration.ofSeconds(60)).until(() -> "confirmed".equals(ledger(child, "status_word")));
        assertThat(ledger(child, "parent_payment_id")).isEqualTo(Long.toString(parent));
        await().atMost(Duration.ofSeconds(30)).until(() -> published(Topics.COMMANDS_INVITE, child) == 1
                && published(Topics.COMMANDS_PAYOUT, child) == 1);

        Cli.Result again = Cli.run(env, "payment", "retry", Long.toString(child), "--accept-repeated-deposit");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> outboxRows(child) == 2);
        assertThat(published(Topics.COMMANDS_INVITE, child)).isEqualTo(1);
        assertThat(published(Topics.COMMANDS_PAYOUT, child)).isEqualTo(1);
        // the parent keeps its own story: partially paid, nothing issued for it
        assertThat(ledger(parent, "status")).isEqualTo("partially_paid");
        assertThat(outboxRows(parent)).isZero();
    }

    @Test
    void anUnknownPaymentIsNotFoundAndGarbageIsAUsageError() {
        Cli.Result unknown = Cli.run(env, "payment", "retry", "1");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(4);
        assertThat(unknown.err()).contains("no payment 1 in the ledger");
        assertThat(Cli.run(env, "payment", "retry", "PGP-1|-100").exitCode()).isEqualTo(2);
    }

    private static void publishMapping(String price) {
        publishMapping(CHANNEL, PRIVATE_CHANNEL, price);
    }

    private static void publishMapping(long channel, long privateChannel, String price) {
        TestTopic<String, ChannelMapping> mappings = TestTopic.of(topics, Topics.CHANNEL_MAPPINGS);
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), mappings, List.of(mappings.record(
                Long.toString(channel), new ChannelMapping(channel, privateChannel, "TXYZwalletAddress0777", "usdt",
                        "trx", new BigDecimal(price), 30, null, null, null, null, PayoutStrategy.INSTANT, null,
                        Instant.now()))));
    }

    /** An IPN as the gateway writes it once the signature matched. */
    private static void sendIpn(long paymentId, PaymentStatus status) {
        sendIpn(IpnBodyBuilder.incidentPayment().paymentId(paymentId).status(status).orderId(ORDER)
                .priceAmount("2.50"));
    }

    private static void sendIpn(IpnBodyBuilder ipn) {
        TestTopic<String, byte[]> raw = TestTopic.of(topics, Topics.IPN_RAW);
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED,
                "current"));
        headers.put(HeaderNames.IPN_RECEIVED_AT, Instant.now().toString());
        byte[] body = ipn.toBytes();
        long paymentId = ipn.toJsonNode().get("payment_id").asLong();
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), raw,
                List.of(raw.record(Long.toString(paymentId), body, headers)));
    }

    private static int rawRecords() {
        return TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW)).size();
    }

    private static long published(TopicSpec<String, ?> topic, long paymentId) {
        return TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, topic)).stream()
                .filter(record -> record.key().equals(Long.toString(paymentId))).count();
    }

    private static String ledger(long paymentId, String column) throws SQLException {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + column + "::text FROM payments WHERE payment_id = ?")) {
            statement.setLong(1, paymentId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static int outboxRows(long paymentId) throws SQLException {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM command_outbox WHERE message_key = ?")) {
            statement.setString(1, Long.toString(paymentId));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
