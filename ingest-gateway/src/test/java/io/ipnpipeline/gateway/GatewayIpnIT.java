package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Contract 1 at the HTTP edge, against the real broker: what is answered 200 is on ipn.raw, byte for byte. */
class GatewayIpnIT {

    private static final AtomicLong PAYMENT_IDS = new AtomicLong(6_100_000_000L);
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final List<HttpResponse<String>> RESPONSES = new ArrayList<>();

    private static TestSchema schema;
    private static TopicNames topics;
    private static GatewayService gateway;
    private static GatewayClient client;
    private static TestTopic<String, byte[]> ipnRaw;

    @BeforeAll
    static void start() {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        schema = TestSchema.create("gateway-ipn");
        topics = TestNames.topics("gateway-ipn");
        Map<String, String> env = Gateways.env(TestInfra.bootstrapServers(), topics, schema.env());
        env.put(GatewayConfig.MAX_BODY_BYTES, "4096");
        gateway = Gateways.start(env);
        client = new GatewayClient(gateway.port());
        ipnRaw = TestTopic.of(topics, Topics.IPN_RAW);
        // the gateway creates ipn.raw itself; ready means Kafka has it and PostgreSQL answers
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        schema.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    private static synchronized HttpResponse<String> seen(HttpResponse<String> response) {
        RESPONSES.add(response);
        return response;
    }

    private static byte[] body(long paymentId) {
        return IpnBodyBuilder.incidentPayment().paymentId(paymentId).toBytes();
    }

    /** A 200 means the broker acked with acks=all, so the record is readable at once. */
    private static List<ConsumerRecord<String, byte[]>> recordsFor(long paymentId) {
        return TestKafka.readAll(TestInfra.bootstrapServers(), ipnRaw).stream()
                .filter(record -> record.key().equals(Long.toString(paymentId)))
                .toList();
    }

    @Test
    void validIpnIsAnswered200AndIsOnIpnRawByteForByteWithHeaders() {
        long paymentId = PAYMENT_IDS.incrementAndGet();
        // a body as NOWPayments writes it: odd spacing and key order must survive untouched
        byte[] body = ("{ \"payment_status\":\"finished\",  \"payment_id\": " + paymentId
                + ", \"price_amount\": 15.0, \"fee\": {\"currency\":\"usdt\",\"depositFee\":0}, \"order_id\":"
                + " \"PGP-6271402111|-1003253338212\", \"extra\": [1, \"é/\"] }").getBytes(StandardCharsets.UTF_8);
        Instant before = Instant.now();

        HttpResponse<String> response = seen(client.post("/ipn", body, GatewayClient.sign(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"accepted\"}");
        List<ConsumerRecord<String, byte[]>> records = recordsFor(paymentId);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.value()).isEqualTo(body);
        assertThat(header(record, HeaderNames.IPN_SOURCE)).isEqualTo("gateway");
        assertThat(header(record, HeaderNames.IPN_SECRET)).isEqualTo("current");
        assertThat(header(record, HeaderNames.IPN_SIGNATURE_FORM)).isEqualTo("deep-sorted");
        assertThat(header(record, HeaderNames.IPN_REMOTE_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(header(record, HeaderNames.IPN_REQUEST_ID))
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(Instant.parse(header(record, HeaderNames.IPN_RECEIVED_AT)))
                .isBetween(before.minusSeconds(1), Instant.now());
    }

    @Test
    void previousSecretAndTheOlderSignatureFormAreAcceptedAndNamed() {
        long paymentId = PAYMENT_IDS.incrementAndGet();
        // a nested fee is where the two forms differ (the replacer form signs it as {})
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(paymentId)
                .with("fee", Map.of("currency", "eth", "depositFee", 0, "withdrawalFee", 0, "serviceFee", 0))
                .toBytes();
        String signature = IpnSigner.sign(GatewayClient.PREVIOUS_SECRET, body, SignatureForm.TOP_LEVEL_REPLACER);

        HttpResponse<String> response = seen(client.post("/", body, signature));

        assertThat(response.statusCode()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = recordsFor(paymentId).get(0);
        assertThat(header(record, HeaderNames.IPN_SECRET)).isEqualTo("previous");
        assertThat(header(record, HeaderNames.IPN_SIGNATURE_FORM)).isEqualTo("top-level-replacer");
    }

    @Test
    void rejectionsGetTheirCodesAndNothingIsPublished() {
        long rejected = PAYMENT_IDS.incrementAndGet();
        byte[] body = body(rejected);
        String otherSecret = IpnSigner.sign("not-the-secret", body, SignatureForm.DEEP_SORTED);

        assertThat(seen(client.post("/ipn", body, otherSecret)).statusCode()).isEqualTo(401);
        assertThat(seen(client.post("/ipn", body, null)).statusCode()).isEqualTo(401);
        assertThat(seen(client.post("/ipn", body, "zz")).statusCode()).isEqualTo(401);
        byte[] tampered = IpnBodyBuilder.incidentPayment().paymentId(rejected).priceAmount("1000").toBytes();
        assertThat(seen(client.post("/ipn", tampered, GatewayClient.sign(body))).statusCode()).isEqualTo(401);

        byte[] notJson = "payment_id=1".getBytes(StandardCharsets.UTF_8);
        assertThat(seen(client.post("/ipn", notJson, "00")).statusCode()).isEqualTo(400);
        byte[] array = "[1]".getBytes(StandardCharsets.UTF_8);
        assertThat(seen(client.post("/ipn", array, GatewayClient.sign(array))).statusCode()).isEqualTo(400);
        byte[] noId = IpnBodyBuilder.incidentPayment().without("payment_id").toBytes();
        assertThat(seen(client.post("/ipn", noId, GatewayClient.sign(noId))).statusCode()).isEqualTo(400);
        byte[] large = IpnBodyBuilder.incidentPayment().paymentId(rejected).with("pad", "x".repeat(5000)).toBytes();
        assertThat(seen(client.post("/ipn", large, GatewayClient.sign(large))).statusCode()).isEqualTo(413);

        // a valid IPN sent afterwards is on the topic; the rejected payment id never is
        long marker = PAYMENT_IDS.incrementAndGet();
        assertThat(seen(client.ipn(body(marker))).statusCode()).isEqualTo(200);
        assertThat(recordsFor(marker)).hasSize(1);
        assertThat(recordsFor(rejected)).isEmpty();
        assertThat(gateway.meterRegistry().get("gateway.ipn.signature.failures").counters())
                .isNotEmpty();
    }

    @Test
    void errorResponsesAreJsonWithoutInternals() {
        byte[] body = body(PAYMENT_IDS.incrementAndGet());
        List<HttpResponse<String>> responses = List.of(
                seen(client.post("/ipn", body, "bad")),
                seen(client.post("/ipn", "{".getBytes(StandardCharsets.UTF_8), "bad")),
                seen(client.get("/nothing-here")),
                seen(client.get("/api/payment-status?order_id=nonsense")));
        for (HttpResponse<String> response : responses) {
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).startsWith("{\"error\":");
            GatewayClient.assertNoInternals(response);
        }
    }

    @Test
    void operationsEndpoints() {
        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = client.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"kafka\":\"UP\"").contains("\"postgresql\":\"UP\"");
        client.ipn(body(PAYMENT_IDS.incrementAndGet()));
        HttpResponse<String> metrics = new GatewayClient(gateway.opsPort()).get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("gateway_requests_total{outcome=\"accepted\",route=\"/ipn\"}")
                .contains("gateway_ipn_publish_latency_seconds_bucket")
                .contains("gateway_ipn_in_flight")
                .contains("gateway_ipn_signature_failures_total")
                .contains("kafka_producer");
    }

    @Test
    void noSecretOrSignatureEverReachesTheLogs() {
        byte[] body = body(PAYMENT_IDS.incrementAndGet());
        String signature = GatewayClient.sign(body);
        assertThat(seen(client.post("/ipn", body, signature)).statusCode()).isEqualTo(200);
        assertThat(seen(client.post("/ipn", body, signature.replace('a', 'b') + "00")).statusCode()).isEqualTo(401);

        List<String> lines = LOGS.list.stream().map(GatewayIpnIT::render).toList();
        assertThat(lines).anyMatch(line -> line.contains("starting ingest-gateway"));
        assertThat(lines).anyMatch(line -> line.contains("outcome=accepted"));
        for (String line : lines) {
            assertThat(line).doesNotContain(GatewayClient.SECRET)
                    .doesNotContain(GatewayClient.PREVIOUS_SECRET)
                    .doesNotContain(signature)
                    .doesNotContain("0xD031Cb94c419A5D7AA4BA5FDBc9Cc82138651083"); // nor any of the body
        }
        synchronized (GatewayIpnIT.class) {
            RESPONSES.forEach(GatewayClient::assertNoInternals);
        }
    }

    private static String render(ILoggingEvent event) {
        String throwable = event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy());
        return event.getFormattedMessage() + throwable + event.getMDCPropertyMap();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
