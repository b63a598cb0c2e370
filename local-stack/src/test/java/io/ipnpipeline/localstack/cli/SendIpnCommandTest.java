package io.ipnpipeline.localstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.signature.IpnSecret;
import io.ipnpipeline.contracts.signature.IpnSignatureVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** send-ipn against a recording HTTP server: the body it builds and the signature the gateway would verify. */
class SendIpnCommandTest {

    private static final String SECRET = "tool-test-secret";

    @TempDir
    Path temp;

    private HttpServer server;
    private final AtomicReference<byte[]> body = new AtomicReference<>();
    private final AtomicReference<String> signature = new AtomicReference<>();
    private int answer = 200;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ipn", exchange -> {
            body.set(exchange.getRequestBody().readAllBytes());
            signature.set(exchange.getRequestHeaders().getFirst("x-nowpayments-sig"));
            byte[] reply = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void flagsChangeTheIncidentPaymentAndTheSignatureVerifies() throws Exception {
        StringWriter out = new StringWriter();
        int exit = run(out, Map.of("NOWPAYMENTS_IPN_SECRET", SECRET), "--url", url(), "--payment-id", "42",
                "--status", "confirming", "--order-id", "PGP-1|-1002", "--price", "5.00", "--set", "parent_payment_id=7");

        assertThat(exit).isZero();
        JsonNode sent = Json.mapper().readTree(body.get());
        assertThat(sent.get("payment_id").asLong()).isEqualTo(42);
        assertThat(sent.get("payment_status").asText()).isEqualTo("confirming");
        assertThat(sent.get("order_id").asText()).isEqualTo("PGP-1|-1002");
        assertThat(sent.get("price_amount").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(sent.get("parent_payment_id").asLong()).isEqualTo(7);
        assertThat(verifier().verify(sent, signature.get())).isPresent();
        assertThat(out.toString()).contains("HTTP 200", "{\"status\":\"accepted\"}");
    }

    @Test
    void aFileIsSentByteForByteAndAnErrorAnswerExitsNonZero() throws Exception {
        Path file = temp.resolve("ipn.json");
        byte[] exact = "{ \"payment_id\" : 5, \"payment_status\":\"finished\" }".getBytes(StandardCharsets.UTF_8);
        Files.write(file, exact);
        answer = 401;

        int exit = run(new StringWriter(), Map.of(), "--url", url(), "--secret", SECRET, "--file", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(body.get()).isEqualTo(exact);
        assertThat(verifier().verify(Json.mapper().readTree(exact), signature.get())).isPresent();
    }

    @Test
    void theSecretAndUrlOfALocalStackAreFoundInItsDataDir() throws Exception {
        Files.writeString(temp.resolve("ipn-secret"), SECRET + "\n");
        Files.writeString(temp.resolve("endpoints.env"), "GATEWAY_URL=http://127.0.0.1:" + server.getAddress().getPort()
                + "\n");

        int exit = run(new StringWriter(), Map.of(), "--data-dir", temp.toString());

        assertThat(exit).isZero();
        assertThat(verifier().verify(Json.mapper().readTree(body.get()), signature.get())).isPresent();
    }

    /**
     * Found by a newcomer: NOWPAYMENTS_IPN_SECRET may list several secrets, current first (the gateway splits it on
     * commas), but send-ipn signed with the whole string: 401. Every source of the secret is read that way.
     */
    @Test
    void aCommaSeparatedSecretSignsWithItsFirstEntryFromEverySource() throws Exception {
        String listed = SECRET + ", previous-secret";
        IpnSignatureVerifier currentOnly = verifier();

        assertThat(run(new StringWriter(), Map.of("NOWPAYMENTS_IPN_SECRET", listed), "--url", url())).isZero();
        assertThat(currentOnly.verify(Json.mapper().readTree(body.get()), signature.get())).as("environment").isPresent();

        assertThat(run(new StringWriter(), Map.of(), "--url", url(), "--secret", listed)).isZero();
        assertThat(currentOnly.verify(Json.mapper().readTree(body.get()), signature.get())).as("--secret").isPresent();

        Files.writeString(temp.resolve("ipn-secret"), listed + "\n");
        assertThat(run(new StringWriter(), Map.of(), "--url", url(), "--data-dir", temp.toString())).isZero();
        assertThat(currentOnly.verify(Json.mapper().readTree(body.get()), signature.get())).as("data dir").isPresent();
    }

    private int run(StringWriter out, Map<String, String> env, String... args) {
        CommandLine command = new CommandLine(new SendIpnCommand(env));
        command.setOut(new PrintWriter(out));
        return command.execute(args);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static IpnSignatureVerifier verifier() {
        return new IpnSignatureVerifier(List.of(new IpnSecret("test", SECRET)));
    }
}
