package io.ipnpipeline.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator against a JDK HTTP server: what it sends, what it counts, and its response framing. */
class HttpLoadTest {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ipn", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.add(exchange.getRequestHeaders().getFirst("x-nowpayments-sig") + " "
                        + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            // every third answer is a 503, every fifth is chunked: both must be read to their end
            int call = calls.incrementAndGet();
            byte[] answer = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(call % 3 == 0 ? 503 : 200, call % 5 == 0 ? 0 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static HttpLoad.SignedBody body(int i) {
        return new HttpLoad.SignedBody(i, ("{\"payment_id\":" + i + "}").getBytes(StandardCharsets.UTF_8), "sig" + i);
    }

    @Test
    void fixedRateAnswersEveryRequestWithItsStatusAndSendsBodyAndSignature() {
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        try (HttpLoad load = new HttpLoad(server.getAddress().getPort(), "/ipn", 4)) {
            long unanswered = load.fixedRate(HttpLoadTest::body, 30, 300, (index, status, scheduled, answered) -> {
                statuses.add(status);
                latencies.add(answered - scheduled);
            });
            assertThat(unanswered).isZero();
        }
        assertThat(statuses).hasSize(30).containsOnly(200, 503);
        assertThat(statuses.stream().filter(s -> s == 503)).hasSize(10);
        assertThat(latencies).allMatch(nanos -> nanos > 0);
        assertThat(received).hasSize(30).contains("sig7 {\"payment_id\":7}");
    }

    @Test
    void saturationCountsOnlyTwoHundredsAndSendAllResendsUntilAccepted() {
        try (HttpLoad load = new HttpLoad(server.getAddress().getPort(), "/ipn", 8)) {
            HttpLoad.Saturation saturation = load.saturate(HttpLoadTest::body, 8, Duration.ofMillis(100),
                    Duration.ofMillis(500));
            assertThat(saturation.ok()).isPositive();
            assertThat(saturation.rejected()).isPositive(); // the 503s
            assertThat(saturation.failed()).isZero();
            assertThat(saturation.answeredInAll()).isGreaterThanOrEqualTo(saturation.ok() + saturation.rejected());

            received.clear();
            long resends = load.sendAll(List.of(body(1), body(2), body(3), body(4), body(5), body(6)), 3);
            assertThat(received).hasSize(6 + (int) resends);
            assertThat(resends).isPositive();
        }
    }

    @Test
    void aRefusedConnectionIsAFailureNotAHang() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        try (HttpLoad load = new HttpLoad(port, "/ipn", 2)) {
            assertThat(load.fixedRate(HttpLoadTest::body, 3, 100, (i, status, s, a) -> statuses.add(status))).isZero();
        }
        assertThat(statuses).containsExactly(-1, -1, -1);
    }
}
