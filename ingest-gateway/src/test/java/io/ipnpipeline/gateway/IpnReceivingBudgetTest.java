package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 3, "memory stays flat under overload", for bodies still arriving: found by review, 8,000 connections each
 * announcing a 64 KiB body and sending one byte made the gateway allocate 64 KiB for each at once and run out of
 * heap. Now a body's buffer grows only with what arrives, and all of them share IPN_MAX_RECEIVING_BYTES.
 */
class IpnReceivingBudgetTest {

    private static final String BODY = "{\"payment_id\":42,\"payment_status\":\"finished\"}";
    private static final int MAX_BODY = 65_536;
    /** What a connection announcing the largest body and sending one byte of it may hold. */
    private static final int FIRST_BUFFER = 4_096;
    private static final String HEADER_ONLY = "POST /ipn HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_BODY
            + "\r\nx-nowpayments-sig: " + IpnTestServer.GOOD + "\r\n\r\n{";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Socket> sockets = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private IpnTestServer gateway;

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    /** Refusing, closing and aborting are all expected here: none of it is an error. */
    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        root.detachAppender(logs);
        assertThat(logs.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
    }

    private double receivingBytes() {
        return gateway.registry.get("gateway.ipn.receiving.bytes").gauge().value();
    }

    private Socket open(String text) throws IOException {
        Socket socket = gateway.socket();
        sockets.add(socket);
        IpnTestServer.send(socket, text);
        return socket;
    }

    /** A signed IPN sent as NOWPayments sends it; its ack released once it reaches the producer. */
    private int validIpn() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/ipn"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .header("x-nowpayments-sig", IpnTestServer.GOOD)
                .build();
        int published = gateway.producer.history().size();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> response.isDone() || gateway.producer.history().size() > published);
        if (!response.isDone()) {
            gateway.producer.completeNext();
        }
        return response.get(5, TimeUnit.SECONDS).statusCode();
    }

    @Test
    void thousandsOfConnectionsAnnouncingTheLargestBodyHoldOnlyAFirstBufferEach() throws Exception {
        gateway = IpnTestServer.start(4, Duration.ofSeconds(5), Map.of(GatewayConfig.MAX_BODY_BYTES, "" + MAX_BODY));
        int connections = 2_000;
        for (int i = 0; i < connections; i++) {
            open(HEADER_ONLY);
        }
        // before the fix: 2,000 x 64 KiB (125 MiB) the moment the headers arrived
        await().atMost(Duration.ofSeconds(20)).until(() -> receivingBytes() == (double) connections * FIRST_BUFFER);
        assertThat(receivingBytes()).isLessThanOrEqualTo(GatewayConfig.DEFAULT_MAX_RECEIVING_BYTES);

        assertThat(validIpn()).isEqualTo(200);

        for (Socket socket : sockets) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> receivingBytes() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.counted("aborted") == connections);
    }

    @Test
    void aFullBudgetAnswers503AtOnceAndFreedRoomServesIpnsAgain() throws Exception {
        int budget = 16 * FIRST_BUFFER;
        gateway = IpnTestServer.start(4, Duration.ofSeconds(5), Map.of(GatewayConfig.MAX_BODY_BYTES, "" + MAX_BODY,
                GatewayConfig.MAX_RECEIVING_BYTES, "" + budget));
        for (int i = 0; i < 16; i++) {
            open(HEADER_ONLY);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> receivingBytes() == budget);

        Socket refused = open(HEADER_ONLY);
        assertThat(IpnTestServer.readResponse(refused.getInputStream())).startsWith("HTTP/1.1 503")
                .containsIgnoringCase("retry-after: 1").containsIgnoringCase("connection: close")
                .contains("{\"error\":");
        assertThat(receivingBytes()).isEqualTo(budget);

        // room for a first buffer, not for the rest of a body that keeps coming: refused once it needs more
        sockets.get(0).close();
        sockets.get(1).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> receivingBytes() == budget - 2 * FIRST_BUFFER);
        Socket growing = open(HEADER_ONLY.replace("{", "{" + " ".repeat(3 * FIRST_BUFFER)));
        assertThat(IpnTestServer.readResponse(growing.getInputStream())).startsWith("HTTP/1.1 503");
        assertThat(receivingBytes()).isLessThanOrEqualTo(budget);
        assertThat(gateway.counted("saturated")).isEqualTo(2);

        for (Socket socket : sockets) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> receivingBytes() == 0);
        assertThat(validIpn()).isEqualTo(200);
        assertThat(gateway.producer.history()).hasSize(1);
    }
}
