package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the IPN endpoint answers at its edges: paths and methods next to {@code POST /ipn}, bodies whose size is
 * known only while they arrive, {@code Expect: 100-continue}, the source allow-list, and what every answer carries
 * (request id, one counter, one log line). The expected answers are the ones the vertx-web router gave when it
 * served the IPN routes alone, so a faster path in front of it must give the same.
 */
class IpnRequestEdgesTest {

    private static final String BODY = "{\"payment_id\":42,\"payment_status\":\"finished\"}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private IpnTestServer gateway;

    private IpnTestServer start(Map<String, String> env) throws Exception {
        gateway = IpnTestServer.start(4, Duration.ofSeconds(5), env);
        return gateway;
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /**
     * Found by review: the counters were created on first use, and Prometheus cannot see a series that appears
     * already at 1, so the first 503 or signature failure after a restart was missing from every alert's increase().
     */
    @Test
    void everyIpnOutcomeAndSignatureFailureIsCountedFromZeroBeforeTheFirstRequest() throws Exception {
        start(Map.of());
        for (IpnHandler.Outcome outcome : IpnHandler.Outcome.values()) {
            assertThat(gateway.registry.find("gateway.requests").tag("route", IpnHandler.ROUTE)
                    .tag("outcome", outcome.word()).counter()).as(outcome.word()).isNotNull();
        }
        for (String reason : List.of("missing", "mismatch")) {
            assertThat(gateway.registry.find("gateway.ipn.signature.failures").tag("reason", reason).counter())
                    .as(reason).isNotNull();
        }
    }

    /** Sends a signed IPN; releases the ack if it reached the producer; the status it got. */
    private int status(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, method.equals("HEAD") || method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(BODY))
                .header("x-nowpayments-sig", IpnTestServer.GOOD)
                .build();
        int published = gateway.producer.history().size();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> response.isDone() || gateway.producer.history().size() > published);
        if (!response.isDone()) {
            gateway.producer.completeNext();
        }
        HttpResponse<String> answered = response.get(5, TimeUnit.SECONDS);
        if (!method.equals("HEAD")) {
            assertThat(answered.headers().firstValue("Content-Type")).as(method + " " + path).hasValue("application/json");
        }
        return answered.statusCode();
    }

    @Test
    void pathsAndMethodsNextToTheIpnRoutes() throws Exception {
        start(Map.of());
        assertThat(status("POST", "/ipn")).isEqualTo(200);
        assertThat(status("POST", "/")).isEqualTo(200);
        assertThat(status("POST", "/ipn?x=1")).isEqualTo(200);
        assertThat(status("POST", "/?x=1&y")).isEqualTo(200);
        assertThat(status("POST", "/ipn/")).isEqualTo(200);
        assertThat(status("POST", "//ipn")).isEqualTo(200);
        assertThat(status("POST", "/./ipn")).isEqualTo(200);
        assertThat(status("POST", "/IPN")).isEqualTo(404);
        assertThat(status("POST", "/Ipn")).isEqualTo(404);
        assertThat(status("POST", "/ipn/x")).isEqualTo(404);
        assertThat(status("POST", "/ipnx")).isEqualTo(404);
        assertThat(status("PUT", "/ipn")).isEqualTo(405);
        assertThat(status("GET", "/ipn")).isEqualTo(405);
        assertThat(status("GET", "/ipn?x=1")).isEqualTo(405);
        assertThat(status("PATCH", "/")).isEqualTo(405);
        assertThat(status("GET", "/")).isEqualTo(405);
        assertThat(status("HEAD", "/")).isEqualTo(405);
        assertThat(gateway.producer.history()).hasSize(7);
    }

    @Test
    void aContentLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        start(Map.of());
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nx-nowpayments-sig: "
                    + IpnTestServer.GOOD + "\r\n\r\n");
            String answer = IpnTestServer.readResponse(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("x-request-id: ")
                    .contains("{\"error\":");
        }
        assertThat(gateway.producer.history()).isEmpty();
        assertThat(gateway.counted("too_large")).isEqualTo(1);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        start(Map.of());
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nx-nowpayments-sig: "
                    + IpnTestServer.GOOD + "\r\n\r\n");
            String chunk = "x".repeat(1000);
            for (int i = 0; i < 3; i++) {
                IpnTestServer.send(socket, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            IpnTestServer.send(socket, "0\r\n\r\n");
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 413").contains("{\"error\":");
        }
        assertThat(gateway.producer.history()).isEmpty();
    }

    @Test
    void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
        start(Map.of());
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nx-nowpayments-sig: "
                    + IpnTestServer.GOOD + "\r\n\r\n");
            IpnTestServer.send(socket, "5\r\n" + BODY.substring(0, 5) + "\r\n");
            String rest = BODY.substring(5);
            IpnTestServer.send(socket, Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.producer.history().size() == 1);
            gateway.producer.completeNext();
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(new String(gateway.producer.history().get(0).value(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    }

    @Test
    void expect100ContinueIsHonoured() throws Exception {
        start(Map.of());
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " + BODY.length()
                    + "\r\nx-nowpayments-sig: " + IpnTestServer.GOOD + "\r\n\r\n");
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 100");
            IpnTestServer.send(socket, BODY);
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.producer.history().size() == 1);
            gateway.producer.completeNext();
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void anExpectationOtherThan100ContinueIs417() throws Exception {
        start(Map.of());
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: " + BODY.length()
                    + "\r\nx-nowpayments-sig: " + IpnTestServer.GOOD + "\r\n\r\n");
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 417").contains("{\"error\":");
        }
        assertThat(gateway.producer.history()).isEmpty();
    }

    @Test
    void anEmptyBodyIs400() throws Exception {
        start(Map.of());
        for (String framing : List.of("Content-Length: 0\r\n", "")) {
            try (Socket socket = gateway.socket()) {
                IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\n" + framing + "x-nowpayments-sig: " + IpnTestServer.GOOD
                        + "\r\n\r\n");
                assertThat(IpnTestServer.readResponse(socket.getInputStream())).as(framing).startsWith("HTTP/1.1 400");
            }
        }
    }

    @Test
    void aSourceOutsideTheAllowListIs403AndItsConnectionClosed() throws Exception {
        start(Map.of(GatewayConfig.ALLOWED_SOURCES, "10.0.0.0/8"));
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length() + "\r\nx-nowpayments-sig: "
                    + IpnTestServer.GOOD + "\r\n\r\n" + BODY);
            String answer = IpnTestServer.readResponse(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 403").containsIgnoringCase("connection: close")
                    .contains("{\"error\":\"source not allowed\"");
        }
        assertThat(gateway.producer.history()).isEmpty();
        assertThat(gateway.counted("forbidden_source")).isEqualTo(1);
        assertThat(gateway.registry.get("gateway.ipn.source.rejected").counter().count()).isEqualTo(1);
    }

    @Test
    void aSourceOnTheAllowListIsServed() throws Exception {
        start(Map.of(GatewayConfig.ALLOWED_SOURCES, "127.0.0.1"));
        assertThat(status("POST", "/ipn")).isEqualTo(200);
        assertThat(status("POST", "/")).isEqualTo(200);
    }

    /**
     * Found by review: a client that dropped its connection mid-body was logged at ERROR as an "unexpected failure"
     * with a stack trace, and counted nowhere. It is the client's doing: one INFO line, counted as aborted.
     */
    @Test
    void aClientThatClosesMidBodyIsCountedAbortedAndNotLoggedAsAnError() throws Exception {
        start(Map.of());
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            try (Socket socket = gateway.socket()) {
                IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length()
                        + "\r\nx-nowpayments-sig: " + IpnTestServer.GOOD + "\r\n\r\n" + BODY.substring(0, 10));
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> gateway.registry.get("gateway.ipn.receiving.bytes").gauge().value() > 0);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.counted("aborted") == 1);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.registry.get("gateway.ipn.receiving.bytes").gauge().value() == 0);
            Thread.sleep(200); // anything logged late by the close would show now
            assertThat(logs.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
            assertThat(logs.list).filteredOn(event -> event.getFormattedMessage().startsWith("ipn payment_id=- outcome=aborted"))
                    .hasSize(1);
            assertThat(gateway.counted("aborted")).isEqualTo(1);
            assertThat(gateway.producer.history()).isEmpty();
        } finally {
            root.detachAppender(logs);
        }
    }

    /** Whatever the outcome: a request id in the header (and in an error's body), one counter, one log line. */
    @Test
    void everyAnswerCarriesItsRequestIdAndIsCountedAndLoggedOnce() throws Exception {
        start(Map.of());
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(IpnHandler.class);
        logger.addAppender(logs);
        try {
            String uri = "http://127.0.0.1:" + gateway.port() + "/ipn";
            HttpResponse<String> unsigned = client.send(HttpRequest.newBuilder(URI.create(uri))
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> notJson = client.send(HttpRequest.newBuilder(URI.create(uri))
                    .header("x-nowpayments-sig", IpnTestServer.GOOD)
                    .POST(HttpRequest.BodyPublishers.ofString("nope")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> large = client.send(HttpRequest.newBuilder(URI.create(uri))
                    .header("x-nowpayments-sig", IpnTestServer.GOOD)
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status("POST", "/ipn")).isEqualTo(200);

            for (HttpResponse<String> error : List.of(unsigned, notJson, large)) {
                String id = error.headers().firstValue("X-Request-Id").orElseThrow();
                assertThat(error.body()).endsWith(",\"request_id\":\"" + id + "\"}");
                assertThat(logs.list).filteredOn(event -> event.getFormattedMessage().contains("request_id=" + id))
                        .hasSize(1);
            }
            assertThat(unsigned.statusCode()).isEqualTo(401);
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(logs.list).hasSize(4).allMatch(event -> event.getFormattedMessage().startsWith("ipn payment_id="));
            assertThat(logs.list.get(3).getFormattedMessage()).startsWith("ipn payment_id=42 outcome=accepted status=200");
            assertThat(List.of(gateway.counted("bad_signature"), gateway.counted("bad_request"),
                    gateway.counted("too_large"), gateway.counted("accepted"))).containsOnly(1.0);
        } finally {
            logger.detachAppender(logs);
        }
    }
}
