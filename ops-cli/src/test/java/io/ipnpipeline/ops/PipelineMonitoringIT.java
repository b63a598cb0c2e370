package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.gateway.GatewayService;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.ops.config.NowPaymentsConfig;
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
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline (gateway, processor, sink) on the real broker and PostgreSQL:
 * <ul>
 *   <li>a finished payment whose IPN never arrived, injected by reconciliation, is processed like any IPN: the
 *       ledger confirms it and exactly one invite and one payout are issued; NOWPayments' own IPN arriving later
 *       changes nothing, and the next reconciliation finds it in sync;</li>
 *   <li>every metric named in deploy/prometheus/alerts.yml and deploy/grafana/ipn-pipeline.json is one the
 *       services export (scraped from their /metrics after traffic that makes every lazy meter appear), and every
 *       job the rules name is one deploy/prometheus/prometheus.yml scrapes, each with a down alert;</li>
 *   <li>the processor's and the sink's counters the alerts read exist before any traffic (a counter whose
 *       series starts at 1 is invisible to increase()).</li>
 * </ul>
 */
class PipelineMonitoringIT {

    private static final String SECRET = "pipeline-ipn-secret-2f7c";
    private static final long USER = 6_271_402_111L;
    private static final long CHANNEL = -1_003_253_338_212L;
    private static final long PRIVATE_CHANNEL = -1_002_098_765_432L;
    private static final long UNMAPPED = -1_009_999_999_999L;
    private static final String ORDER = "PGP-" + USER + "|" + CHANNEL;
    private static final Path REPO = Path.of("..");
    /** Series Prometheus makes itself for every target, not exported by a service. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    private static final Pattern JOB_NAME = Pattern.compile("^\\s*-?\\s*job_name:\\s*(\\S+)\\s*$");
    private static final Pattern JOB_MATCHER = Pattern.compile("\\bjob\\s*=~?\\s*\"([^\"]*)\"");

    private static TestSchema schema;
    private static TopicNames topics;
    private static Map<String, String> env;
    private static GatewayService gateway;
    private static ProcessorService processor;
    private static SinkService sink;
    private static FakeNowPayments api;
    /** The processor's and the sink's /metrics right after start, before any traffic. */
    private static String processorFirstScrape;
    private static String sinkFirstScrape;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        schema = TestSchema.create("ops-pipeline");
        topics = TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-pipeline");
        env = Cli.env(topics, schema);
        env.put(GatewayConfig.HOST, "127.0.0.1");
        env.put(GatewayConfig.PORT, "0");
        env.put(GatewayConfig.OPS_PORT, "0");
        env.put(GatewayConfig.IPN_SECRET, SECRET);
        env.put(ProcessorConfig.APPLICATION_ID, TestNames.unique("ops-pipeline-processor"));
        env.put(ProcessorConfig.STATE_DIR, Path.of("target", "kafka-streams").toAbsolutePath().toString());
        env.put(ProcessorConfig.OPS_PORT, "0");
        env.put(ProcessorConfig.COMMIT_INTERVAL_MS, "20");
        env.put(SinkConfig.OPS_PORT, "0");
        env.put(SinkConfig.MIGRATE, "false");
        env.put(SinkConfig.CONSUMER_GROUP, TestNames.unique("ops-pipeline-sink"));
        env.put(SinkConfig.TRANSACTIONAL_ID, TestNames.unique("ops-pipeline-outbox"));
        api = new FakeNowPayments();
        env.put(NowPaymentsConfig.API_URL, api.url());
        env.put(NowPaymentsConfig.API_KEY, FakeNowPayments.API_KEY);
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.CHANNEL_MAPPINGS),
                List.of(TestTopic.of(topics, Topics.CHANNEL_MAPPINGS).record(Long.toString(CHANNEL), mapping())));
        gateway = GatewayService.start(GatewayConfig.fromEnv(Env.of(env)));
        processor = ProcessorService.start(ProcessorConfig.fromEnv(Env.of(env)));
        sink = SinkService.start(SinkConfig.fromEnv(Env.of(env)));
        await().atMost(Duration.ofSeconds(90)).until(() -> get(processor.opsPort(), "/health/ready").statusCode() == 200
                && get(sink.opsPort(), "/health/ready").statusCode() == 200
                && get(gateway.port(), "/health/ready").statusCode() == 200);
        processorFirstScrape = get(processor.opsPort(), "/metrics").body();
        sinkFirstScrape = get(sink.opsPort(), "/metrics").body();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, sink, processor, api}) {
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
    void aReconciledPaymentIsProcessedLikeAnIpnAndPaidOnceEvenWhenItsIpnFollows() throws Exception {
        long paymentId = 5_900_000_001L;
        api.add(paymentId, PaymentStatus.FINISHED, ORDER);

        Cli.Result first = Cli.run(env, "reconcile", "--from", "2020-01-01T00:00:00Z");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("missing=1").contains("injected " + paymentId);

        await().atMost(Duration.ofSeconds(60)).until(() -> "confirmed".equals(ledgerWord(paymentId)));
        await().atMost(Duration.ofSeconds(30)).until(() -> commands(paymentId) == 2);

        // NOWPayments' own IPN for the same payment arrives after all
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(paymentId).status(PaymentStatus.FINISHED)
                .orderId(ORDER).toBytes();
        assertThat(postIpn(body, IpnSigner.sign(SECRET, body, SignatureForm.DEEP_SORTED)).statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> processor.metrics().count("ipn.processor.dedupe.dropped", "kind", "repeat") >= 1);
        assertThat(commands(paymentId)).isEqualTo(2);
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.COMMANDS_INVITE)))
                .filteredOn(record -> record.key().equals(Long.toString(paymentId))).hasSize(1);

        Cli.Result second = Cli.run(env, "reconcile", "--from", "2020-01-01T00:00:00Z");
        assertThat(second.out()).contains("in_sync=1").contains("injected=0");
    }

    @Test
    void everyMetricInTheAlertsAndTheDashboardIsExported() throws Exception {
        makeEveryMeterAppear();
        Set<String> exported = new TreeSet<>();
        // where Prometheus scrapes them: each service's ops port (the gateway's public port has no /metrics)
        for (int port : new int[] {gateway.opsPort(), processor.opsPort(), sink.opsPort()}) {
            exported.addAll(PromQl.sampleNames(get(port, "/metrics").body()));
        }

        Set<String> used = new TreeSet<>();
        for (String line : Files.readAllLines(REPO.resolve("deploy/prometheus/alerts.yml"))) {
            if (line.strip().startsWith("expr:")) {
                used.addAll(PromQl.metricNames(line.strip().substring("expr:".length())));
            }
        }
        int rules = used.size();
        JsonNode dashboard = Json.mapper().readTree(REPO.resolve("deploy/grafana/ipn-pipeline.json").toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                used.addAll(PromQl.metricNames(target.get("expr").asText()));
            }
        }
        assertThat(rules).as("metrics named by the alert rules").isGreaterThanOrEqualTo(8);
        assertThat(used).containsAll(PROMETHEUS_SERIES);
        used.removeAll(PROMETHEUS_SERIES);
        // the registry does not run here: channel-registry's ChangeStreamIT checks its metrics against the alerts
        used.removeIf(name -> name.startsWith("registry_"));
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertThat(missing).as("metrics the alerts or the dashboard use but no service exports (of %s)", used)
                .isEmpty();
    }

    @Test
    void everyJobTheRulesNameIsScrapedAndEveryScrapedJobHasADownAlert() throws Exception {
        Set<String> scraped = new TreeSet<>();
        for (String line : Files.readAllLines(REPO.resolve("deploy/prometheus/prometheus.yml"))) {
            Matcher matcher = JOB_NAME.matcher(line);
            if (matcher.matches()) {
                scraped.add(matcher.group(1));
            }
        }
        Set<String> named = new TreeSet<>();
        Set<String> down = new TreeSet<>();
        for (String line : Files.readAllLines(REPO.resolve("deploy/prometheus/alerts.yml"))) {
            if (!line.strip().startsWith("expr:")) {
                continue;
            }
            Matcher matcher = JOB_MATCHER.matcher(line);
            while (matcher.find()) {
                List<String> jobs = List.of(matcher.group(1).split("\\|"));
                named.addAll(jobs);
                if (line.contains("up{job")) {
                    down.addAll(jobs);
                }
            }
        }
        assertThat(scraped).containsExactlyInAnyOrder("ipn-gateway", "ipn-processor", "ipn-sink", "ipn-registry");
        assertThat(scraped).as("jobs the rules name").containsAll(named);
        assertThat(down).as("scraped jobs with an up == 0 alert").containsAll(scraped);
    }

    /**
     * Before anything happened, every counter the alerts read from the processor and the sink is already a series
     * (at 0): the first dead letter or park after a restart must show in increase().
     */
    @Test
    void theProcessorsAndTheSinksAlertCountersExistBeforeAnyTraffic() throws Exception {
        Set<String> counters = new TreeSet<>();
        for (String line : Files.readAllLines(REPO.resolve("deploy/prometheus/alerts.yml"))) {
            if (line.strip().startsWith("expr:")) {
                PromQl.metricNames(line).stream().filter(name -> name.startsWith("ipn_processor_")
                        || name.startsWith("sink_")).filter(name -> name.endsWith("_total")).forEach(counters::add);
            }
        }
        assertThat(counters).contains("ipn_processor_dlq_total", "ipn_processor_parked_total",
                "ipn_processor_released_total", "sink_dead_lettered_total");
        Set<String> first = new TreeSet<>(PromQl.sampleNames(processorFirstScrape));
        first.addAll(PromQl.sampleNames(sinkFirstScrape));
        assertThat(first).containsAll(counters);
        assertThat(processorFirstScrape).contains("ipn_processor_dlq_total{stage=\"parse\"} 0.0",
                "ipn_processor_released_total 0.0");
    }

    /** Counters tagged on first use only appear once something happened; make each happen once. */
    private static void makeEveryMeterAppear() throws Exception {
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(5_900_000_100L).orderId(ORDER).toBytes();
        assertThat(postIpn(body, "0".repeat(128)).statusCode()).isEqualTo(401);
        // an unmapped channel parks, junk dead-letters
        byte[] unmapped = IpnBodyBuilder.incidentPayment().paymentId(5_900_000_101L)
                .orderId("PGP-" + USER + "|" + UNMAPPED).toBytes();
        assertThat(postIpn(unmapped, IpnSigner.sign(SECRET, unmapped, SignatureForm.DEEP_SORTED)).statusCode())
                .isEqualTo(200);
        TestTopic<String, byte[]> raw = TestTopic.of(topics, Topics.IPN_RAW);
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), raw,
                List.of(raw.record("5900000102", "not json".getBytes(StandardCharsets.UTF_8))));
        for (int i = 0; i < 52; i++) {
            get(gateway.port(), "/api/payment-status?order_id=" + URLEncoder.encode(ORDER, StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.metrics().count("ipn.processor.dlq", "stage",
                "parse") >= 1 && processor.metrics().count("ipn.processor.parked") >= 1);
        // the channel is registered after all: the parked payment is released
        TestTopic<String, ChannelMapping> mappings = TestTopic.of(topics, Topics.CHANNEL_MAPPINGS);
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), mappings,
                List.of(mappings.record(Long.toString(UNMAPPED), mapping(UNMAPPED, UNMAPPED - 1))));
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.metrics().count("ipn.processor.released") >= 1);
    }

    private static ChannelMapping mapping() {
        return mapping(CHANNEL, PRIVATE_CHANNEL);
    }

    private static ChannelMapping mapping(long open, long closed) {
        return new ChannelMapping(open, closed, "TXYZwalletAddress0001", "usdt", "trx",
                new BigDecimal("2.50"), 30, null, null, null, null, PayoutStrategy.INSTANT, null,
                Instant.parse("2025-01-01T00:00:00Z"));
    }

    private static String ledgerWord(long paymentId) throws SQLException {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT status_word FROM payments WHERE payment_id = ?")) {
            statement.setLong(1, paymentId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static int commands(long paymentId) throws SQLException {
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

    private static HttpResponse<String> postIpn(byte[] body, String signature) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/ipn"))
                .header("Content-Type", "application/json").header("x-nowpayments-sig", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
