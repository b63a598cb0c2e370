package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.ops.config.NowPaymentsConfig;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation against a local stand-in of the NOWPayments API (documented response shape, pagination, error
 * pages) with the real broker and PostgreSQL: exactly the finished payments the ledger lacks or has behind are
 * injected into ipn.raw, marked as reconciliation, and the API key shows up nowhere but in the request header.
 */
class ReconcileIT {

    private static final AtomicLong IDS = new AtomicLong(9_100_000_000L);
    private static final String WINDOW_FROM = "2024-05-01T00:00:00Z";
    private static final String WINDOW_TO = "2024-05-02T00:00:00Z";

    private static TestSchema schema;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private FakeNowPayments api;
    private TopicNames topics;
    private Map<String, String> env;

    @BeforeAll
    static void schema() {
        schema = TestSchema.create("ops-reconcile");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        api = new FakeNowPayments();
        topics = TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-reconcile");
        env = Cli.env(topics, schema);
        env.put(NowPaymentsConfig.API_URL, api.url());
        env.put(NowPaymentsConfig.API_KEY, FakeNowPayments.API_KEY);
        env.put(NowPaymentsConfig.PAGE_SIZE, "2");
        env.put(NowPaymentsConfig.RETRY_BACKOFF_MS, "10");
    }

    @AfterEach
    void stop() {
        api.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void injectsFinishedPaymentsTheLedgerLacksOrHasBehindAcrossPages() {
        long missing = add(PaymentStatus.FINISHED);
        long behind = add(PaymentStatus.FINISHED);
        ledger(behind, PaymentStatus.CONFIRMING, StatusWord.PROCESSING);
        long inSync = add(PaymentStatus.FINISHED);
        ledger(inSync, PaymentStatus.FINISHED, StatusWord.CONFIRMED);
        long parkedFinished = add(PaymentStatus.FINISHED);
        ledger(parkedFinished, PaymentStatus.FINISHED, StatusWord.AWAITING_MAPPING);
        long conflict = add(PaymentStatus.FINISHED);
        ledger(conflict, PaymentStatus.EXPIRED, StatusWord.EXPIRED);
        long stillWaiting = add(PaymentStatus.WAITING);
        long partiallyPaid = add(PaymentStatus.FINISHED);
        ledger(partiallyPaid, PaymentStatus.PARTIALLY_PAID, StatusWord.PARTIALLY_PAID);

        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("listed=7 finished=6 in_sync=2 missing=1 behind=2 conflict=1")
                .contains("injected=3").contains("conflict " + conflict);
        // 7 payments at 2 a page: pages 0..3, and nothing past the last
        assertThat(api.requests).hasSize(4);
        assertThat(api.requests.get(0).getQuery()).contains("limit=2", "page=0", "sortBy=created_at",
                "orderBy=asc", "dateFrom=2024-05-01T00:00:00.000Z", "dateTo=2024-05-02T00:00:00.000Z");
        assertThat(api.apiKeysSeen).containsOnly(FakeNowPayments.API_KEY);

        List<ConsumerRecord<String, byte[]>> injected = TestKafka.readAll(TestInfra.bootstrapServers(),
                TestTopic.of(topics, Topics.IPN_RAW));
        assertThat(injected).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                Long.toString(missing), Long.toString(behind), Long.toString(partiallyPaid));
        for (ConsumerRecord<String, byte[]> record : injected) {
            assertThat(header(record, HeaderNames.IPN_SOURCE)).isEqualTo(HeaderNames.SOURCE_RECONCILIATION);
            assertThat(header(record, HeaderNames.IPN_RECEIVED_AT)).isNotBlank();
            IpnParser.Parsed parsed = (IpnParser.Parsed) IpnParser.parse(record.value());
            assertThat(parsed.ipn().paymentId()).isEqualTo(Long.parseLong(record.key()));
            assertThat(parsed.ipn().status()).isEqualTo(PaymentStatus.FINISHED);
            // decimals arrive exactly as the API wrote them
            assertThat(parsed.ipn().priceAmount()).isEqualByComparingTo(new BigDecimal("2.50"));
        }
        assertThat(injected).extracting(ConsumerRecord::key).doesNotContain(Long.toString(stillWaiting),
                Long.toString(inSync), Long.toString(parkedFinished), Long.toString(conflict));
        assertKeyNeverShown(result);
    }

    @Test
    void aDryRunReportsButInjectsNothing() {
        add(PaymentStatus.FINISHED);
        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO, "--dry-run");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("missing=1").contains("would_inject=1");
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW))).isEmpty();
    }

    /** A paid payment held in review is not in sync: nothing else tells an operator it waits for payment retry. */
    @Test
    void aFinishedPaymentHeldInReviewIsReportedWithTheCommandThatReleasesItNotInjected() {
        long inReview = add(PaymentStatus.FINISHED);
        ledger(inReview, PaymentStatus.FINISHED, StatusWord.NEEDS_REVIEW);
        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("in_sync=0").contains("in_review=1").contains("injected=0")
                .contains("in review " + inReview + ": NOWPayments says finished, the ledger holds it in needs_review;"
                        + " fix the cause, then 'payment retry " + inReview + "'");
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW))).isEmpty();
    }

    @Test
    void retriesAnHtmlGatewayErrorAndA503ThenSucceeds() {
        long missing = add(PaymentStatus.FINISHED);
        api.failNext(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>");
        api.failNext(503, "application/json", "{\"message\":\"Service temporarily unavailable\"}");

        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("injected " + missing);
        assertThat(api.requests).hasSize(3);
        assertThat(logLines()).contains("HTML error page titled '502 Bad Gateway'");
        assertKeyNeverShown(result);
    }

    @Test
    void givesUpAfterTheBoundedAttemptsWithAClearMessage() {
        add(PaymentStatus.FINISHED);
        for (int i = 0; i < 3; i++) {
            api.failNext(500, "text/html", "<!DOCTYPE html><html><title>Maintenance</title></html>");
        }
        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("failed after 3 attempt(s)").contains("HTTP 500 with an HTML error page"
                + " titled 'Maintenance'");
        assertThat(api.requests).hasSize(3);
        assertKeyNeverShown(result);
    }

    @Test
    void aRejectedKeyFailsAtOnceWithTheApisMessage() {
        env.put(NowPaymentsConfig.API_KEY, "np-wrong-key-000111222");
        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 403: Invalid api key");
        assertThat(api.requests).hasSize(1);
        assertThat(result.toString() + logLines()).doesNotContain("np-wrong-key-000111222");
    }

    @Test
    void anHtmlPageWithStatus200IsNamedNotParsed() {
        api.failNext(200, "text/html", "<html><head><title>Login</title></head></html>");
        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM, "--to", WINDOW_TO);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("answered 200 with an HTML page instead of JSON titled 'Login'");
    }

    @Test
    void withoutAnApiKeyItSaysWhichVariableIsMissing() {
        env.remove(NowPaymentsConfig.API_KEY);
        Cli.Result result = Cli.run(env, "reconcile", "--from", WINDOW_FROM);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("NOWPAYMENTS_API_KEY is required for reconcile");
        assertThat(api.requests).isEmpty();
    }

    /** Found by review: a lookback shorter than the interval left gaps, and a zero or negative interval spun. */
    @Test
    void aScheduleThatWouldLeaveGapsOrSpinIsAUsageError() {
        for (String[] args : List.of(new String[] {"--every", "10m", "--lookback", "5m"},
                new String[] {"--every", "0s"}, new String[] {"--every", "PT-1M"},
                new String[] {"--every", "10m", "--lookback", "PT-1H"})) {
            List<String> command = new ArrayList<>(List.of("reconcile", "--runs", "1"));
            command.addAll(List.of(args));
            Cli.Result result = Cli.run(env, command.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).contains("--lookback");
        }
    }

    @Test
    void aScheduleRunsRepeatedlyAndOutlivesAFailedRun() {
        long missing = add(PaymentStatus.FINISHED);
        api.failNext(401, "text/html", "<html><title>Unauthorized</title></html>");
        Cli.Result result = Cli.run(env, "reconcile", "--every", "100ms", "--lookback", "3650d", "--runs", "2");
        assertThat(result.out()).contains("run 1 failed").contains("injected " + missing);
        assertThat(result.exitCode()).isEqualTo(1);
    }

    private long add(PaymentStatus status) {
        long id = IDS.incrementAndGet();
        api.add(id, status, "PGP-" + (id - 9_000_000_000L) + "|-1003253338212");
        return id;
    }

    private static void ledger(long paymentId, PaymentStatus status, StatusWord word) {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO payments (payment_id, status,"
                        + " status_rank, status_word, last_ipn) VALUES (?, ?, ?, ?, '{}'::jsonb)")) {
            insert.setLong(1, paymentId);
            insert.setString(2, status.wire());
            insert.setInt(3, Progress.rank(status, word));
            insert.setString(4, word.word());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private String logLines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    private void assertKeyNeverShown(Cli.Result result) {
        assertThat(result.toString()).doesNotContain(FakeNowPayments.API_KEY);
        assertThat(logLines()).doesNotContain(FakeNowPayments.API_KEY);
    }
}
