package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that trickles its headers (one line a while, so the idle timeout never fires) loses its connection
 * after GATEWAY_HEADER_TIMEOUT_MS; connections in use, or waiting for their answer, keep theirs.
 */
class HeaderDeadlinesTest {

    private static final String UNSIGNED_IPN = "POST /ipn HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json"
            + "\r\nContent-Length: 2\r\n\r\n{}";

    private IpnTestServer gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = IpnTestServer.start(4, Duration.ofSeconds(5), Map.of(GatewayConfig.HEADER_TIMEOUT_MS, "1000"));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void aConnectionTricklingItsFirstRequestsHeadersIsClosed() throws Exception {
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: gateway\r\n");
            assertClosedWhileTrickling(socket);
        }
    }

    @Test
    void aKeepAliveConnectionTricklingItsNextRequestIsClosed() throws Exception {
        try (Socket socket = gateway.socket()) {
            IpnTestServer.send(socket, UNSIGNED_IPN);
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 401");
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\n");
            assertClosedWhileTrickling(socket);
        }
    }

    @Test
    void aConnectionInUseLongerThanTheTimeoutStaysOpen() throws Exception {
        try (Socket socket = gateway.socket()) {
            long until = System.nanoTime() + Duration.ofMillis(3_500).toNanos();
            while (System.nanoTime() < until) {
                IpnTestServer.send(socket, UNSIGNED_IPN);
                assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 401");
                Thread.sleep(300);
            }
        }
    }

    @Test
    void aRequestWaitingForKafkaLongerThanTheTimeoutGetsItsAnswer() throws Exception {
        try (Socket socket = gateway.socket()) {
            String body = "{\"payment_id\":42,\"payment_status\":\"finished\"}";
            IpnTestServer.send(socket, "POST /ipn HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nx-nowpayments-sig: "
                    + IpnTestServer.GOOD + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.producer.history().size() == 1);
            Thread.sleep(2_500); // the ack is held back past the header timeout
            gateway.producer.completeNext();
            assertThat(IpnTestServer.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    /** Sends one more header line every 200 ms until the server closes the connection; fails after 6 s. */
    private static void assertClosedWhileTrickling(Socket socket) throws Exception {
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread trickle = new Thread(() -> {
            try {
                for (int line = 0; reading.get() && line < 30; line++) {
                    Thread.sleep(200);
                    IpnTestServer.send(socket, "X-Trickle-" + line + ": 1\r\n");
                }
            } catch (IOException | InterruptedException closedOrStopped) {
                reading.set(false);
            }
        });
        long start = System.nanoTime();
        trickle.start();
        try {
            assertThat(readUntilClosed(socket.getInputStream())).as("the server closed the connection").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500),
                    Duration.ofSeconds(4));
        } finally {
            reading.set(false);
            trickle.join();
        }
    }

    /** True once the server has closed (end of stream or reset); false if it stayed open for the socket timeout. */
    private static boolean readUntilClosed(InputStream in) {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
