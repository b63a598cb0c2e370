package io.ipnpipeline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.reliability.hostile.RawHttp.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP abuse against the real gateway: each gets a clear 4xx or a closed connection, never a 5xx, never a 200,
 * never a hung connection, and the gateway keeps serving real IPNs afterwards.
 */
class HttpAbuseIT {

    private static final int REQUEST_TIMEOUT_MS = 2_500;
    private static final String IPN = IpnBodyBuilder.incidentPayment().toJson();
    private static StandaloneGateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = StandaloneGateway.start("http-abuse", Map.of("IPN_REQUEST_TIMEOUT_MS",
                Integer.toString(REQUEST_TIMEOUT_MS)));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void oversizedHeadersAreRefused() throws IOException {
        Answer answer = RawHttp.exchange(gateway.port(),
                RawHttp.post("/ipn", "X-Padding: " + "a".repeat(100_000) + "\r\n", IPN));
        assertThat(answer.isClearRefusal()).as("%s", answer).isTrue();
        Answer manyHeaders = RawHttp.exchange(gateway.port(),
                RawHttp.post("/ipn", "X-A: b\r\n".repeat(20_000), IPN));
        assertThat(manyHeaders.isClearRefusal()).as("%s", manyHeaders).isTrue();
        assertStillServing();
    }

    /** A body trickling in a byte at a time is cut off by the request timeout: 408 and a closed connection. */
    @Test
    void aSlowBodyIsCutOffWithinTheRequestTimeout() throws Exception {
        long started = System.nanoTime();
        try (Socket socket = RawHttp.connect(gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /ipn HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n"
                    + "x-nowpayments-sig: 00\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Thread trickle = new Thread(() -> trickle(out), "slow-body");
            trickle.setDaemon(true);
            trickle.start();
            Answer answer = RawHttp.readStatus(socket.getInputStream());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(answer.status() == 408 || answer.closed()).as("%s", answer).isTrue();
            assertThat(took).as("answered or closed within the request timeout")
                    .isLessThan(Duration.ofMillis(REQUEST_TIMEOUT_MS + 5_000));
            assertThat(socket.getInputStream().readAllBytes()).as("then closed").isNotNull();
        }
        assertStillServing();
    }

    private static void trickle(OutputStream out) {
        try {
            for (int i = 0; i < 10_000; i++) {
                out.write('{');
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException closed) {
            // the gateway hung up, as it should
        }
    }

    @Test
    void manyIdleConnectionsDoNotStopRealIpns() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                idle.add(RawHttp.connect(gateway.port()));
            }
            assertStillServing();
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"})
    void wrongMethodsOnTheIpnRouteGetA4xx(String method) throws IOException {
        Answer answer = RawHttp.exchange(gateway.port(), method + " /ipn HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + IPN.length() + "\r\nConnection: close\r\n\r\n" + IPN);
        assertThat(answer.isClearRefusal()).as("%s %s", method, answer).isTrue();
    }

    /** Whatever a path normalises to, an unsigned POST is never accepted and never a server error. */
    @ParameterizedTest
    @ValueSource(strings = {"/ipn/../ipn", "/x/../ipn", "/%2e%2e/ipn", "/ipn%2F", "/ipn%2f..%2fipn", "//ipn", "/IPN",
            "/ipn/", "/ipn;jsessionid=1", "/ipn?x=1", "/ipn%00", "/ipn/%2e%2e/%2e%2e/etc/passwd", "/api/../ipn",
            "/%69%70%6e", "/ipn#frag", "*", "http://evil.example/ipn"})
    void pathTricksNeverGetPastTheSignatureCheck(String path) throws IOException {
        Answer answer = RawHttp.exchange(gateway.port(), RawHttp.post(path, "", IPN));
        assertThat(answer.isClearRefusal()).as("%s -> %s", path, answer).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GARBAGE\r\n\r\n", "POST /ipn HTTP/9.9\r\n\r\n", "POST /ipn\r\n\r\n",
            "POST /ipn HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "POST /ipn HTTP/1.1\r\nContent-Length: 1\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", "POST /ipn HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "FFFFFFFFFFFFFFFF\r\nx\r\n"})
    void malformedRequestsAreRefused(String request) throws IOException {
        Answer answer = RawHttp.exchange(gateway.port(), request);
        // an unknown HTTP version is answered 501/505 by the HTTP layer: the protocol's own refusal, not a fault
        boolean unsupportedVersion = request.contains("HTTP/9.9") && (answer.status() == 501 || answer.status() == 505);
        assertThat(answer.isClearRefusal() || unsupportedVersion).as("%s", answer).isTrue();
    }

    private static void assertStillServing() throws IOException {
        String signature = IpnSigner.sign(StandaloneGateway.SECRET, IPN.getBytes(StandardCharsets.UTF_8),
                SignatureForm.DEEP_SORTED);
        Answer answer = RawHttp.exchange(gateway.port(),
                RawHttp.post(IpnHandler.ROUTE, IpnHandler.SIGNATURE_HEADER + ": " + signature + "\r\n", IPN));
        assertThat(answer.status()).as("a real IPN is still accepted").isEqualTo(200);
    }
}
