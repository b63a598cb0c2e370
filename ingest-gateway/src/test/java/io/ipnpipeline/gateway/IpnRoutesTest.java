package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IPN route's decisions (status codes, order of checks, answering only after the ack) with Kafka's own
 * {@link MockProducer} standing in, so acks can be held back and released at will. The real broker is in the
 * ITs; here the behaviour under test is the gateway's alone.
 */
class IpnRoutesTest {

    private static final String GOOD = IpnTestServer.GOOD;

    private IpnTestServer gateway;
    private MockProducer<String, byte[]> producer;
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        startWith(2, Duration.ofMillis(700));
    }

    private void startWith(int maxInFlight, Duration timeout) throws Exception {
        startWith(maxInFlight, timeout, Duration.ofSeconds(10));
    }

    private void startWith(int maxInFlight, Duration timeout, Duration requestTimeout) throws Exception {
        gateway = IpnTestServer.start(maxInFlight, timeout,
                Map.of(GatewayConfig.REQUEST_TIMEOUT_MS, Long.toString(requestTimeout.toMillis())));
        producer = gateway.producer;
        server = gateway.server;
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (signature != null) {
            request.header("x-nowpayments-sig", signature);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postNow(String path, String body, String signature) throws Exception {
        return post(path, body, signature).get(10, TimeUnit.SECONDS);
    }

    @Test
    void answers200OnlyAfterTheBrokerAcknowledges() throws Exception {
        String body = "{\"payment_id\":5077125051,\"payment_status\":\"finished\",\"pay_amount\":1.50}";
        CompletableFuture<HttpResponse<String>> response = post("/ipn", body, GOOD);

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        Thread.sleep(200);
        assertThat(response).as("no answer before the ack").isNotDone();

        producer.completeNext();
        HttpResponse<String> answered = response.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("{\"status\":\"accepted\"}");

        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(record.key()).isEqualTo("5077125051");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(header(record, HeaderNames.IPN_SIGNATURE_FORM)).isEqualTo("deep-sorted");
        assertThat(header(record, HeaderNames.IPN_SECRET)).isEqualTo("current");
        assertThat(header(record, HeaderNames.IPN_SOURCE)).isEqualTo("gateway");
        assertThat(header(record, HeaderNames.IPN_REQUEST_ID))
                .isEqualTo(answered.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(header(record, HeaderNames.IPN_REMOTE_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(header(record, HeaderNames.IPN_RECEIVED_AT)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void oldCallbackPathWorksToo() throws Exception {
        CompletableFuture<HttpResponse<String>> response = post("/", "{\"payment_id\":1}", GOOD);
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.completeNext();
        assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void producerErrorIs503WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> response = post("/ipn", "{\"payment_id\":2}", GOOD);
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("down"));
        HttpResponse<String> answered = response.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(503);
        assertThat(answered.headers().firstValue("Retry-After")).isPresent();
        assertNoInternals(answered);
    }

    @Test
    void noAckInTimeIs503() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> answered = postNow("/ipn", "{\"payment_id\":3}", GOOD);
        assertThat(answered.statusCode()).isEqualTo(503);
        assertThat(answered.headers().firstValue("Retry-After")).isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(600), Duration.ofSeconds(3));
    }

    @Test
    void wrongOrMissingSignatureIs401AndNothingIsPublished() throws Exception {
        HttpResponse<String> wrong = postNow("/ipn", "{\"payment_id\":4}", "bad");
        HttpResponse<String> missing = postNow("/ipn", "{\"payment_id\":4}", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"error\"");
        assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void notAJsonObjectOrNoPaymentIdIs400() throws Exception {
        for (String body : new String[] {"", "not json", "[1,2]", "\"text\"", "{\"payment_id\":1} trailing",
                "{\"payment_id\":\"abc\"}", "{\"payment_status\":\"waiting\"}", "{\"payment_id\":1.5}"}) {
            HttpResponse<String> answered = postNow("/ipn", body, GOOD);
            assertThat(answered.statusCode()).as(body).isEqualTo(400);
            assertNoInternals(answered);
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void unparseableBodyIs400EvenWithoutASignature() throws Exception {
        assertThat(postNow("/ipn", "{broken", null).statusCode()).isEqualTo(400);
    }

    @Test
    void tooLargeIs413() throws Exception {
        String big = "{\"payment_id\":5,\"pad\":\"" + "x".repeat(4096) + "\"}";
        HttpResponse<String> answered = postNow("/ipn", big, GOOD);
        assertThat(answered.statusCode()).isEqualTo(413);
        assertThat(answered.body()).contains("\"error\"");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void saturatedIs503AtOnce() throws Exception {
        CompletableFuture<HttpResponse<String>> first = post("/ipn", "{\"payment_id\":6}", GOOD);
        CompletableFuture<HttpResponse<String>> second = post("/ipn", "{\"payment_id\":7}", GOOD);
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
        long started = System.nanoTime();
        HttpResponse<String> third = postNow("/ipn", "{\"payment_id\":8}", GOOD);
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        producer.completeNext();
        producer.completeNext();
        assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /** A body that never completes is cut off: 408, the connection closed, nothing published. */
    @Test
    void aBodyNotReceivedInTimeIs408() throws Exception {
        stop();
        startWith(2, Duration.ofMillis(700), Duration.ofMillis(2_100)); // must exceed the default publish timeout
        long started = System.nanoTime();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(8_000);
            socket.getOutputStream().write(("POST /ipn HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\nx-nowpayments-sig: " + GOOD + "\r\n\r\n{\"payment_id\":").getBytes(
                    StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(2_050), Duration.ofSeconds(5));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() throws Exception {
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\"");
        HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/ipn")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isIn(404, 405);
        assertNoInternals(wrongMethod);
    }

    static void assertNoInternals(HttpResponse<String> response) {
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.ipnpipeline")
                .doesNotContain("org.apache");
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
