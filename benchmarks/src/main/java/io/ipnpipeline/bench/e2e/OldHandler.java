package io.ipnpipeline.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.signature.IpnSecret;
import io.ipnpipeline.contracts.signature.IpnSignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The end-to-end baseline: what the old np-webhook handler did, one synchronous single-row write per IPN. Each
 * request is verified (same verifier), parsed, written with one autocommit upsert (fsync on) and then answered,
 * so its ledger row is visible when the answer leaves. {@link #THREADS} worker threads and connections, as a
 * typical WSGI deployment of the old handler on 2 cores ran (2 x cores workers).
 */
public final class OldHandler implements AutoCloseable {

    public static final int THREADS = 4;
    private static final String UPSERT = "INSERT INTO old_ledger (payment_id, status, body, updated_at) "
            + "VALUES (?, ?, ?::jsonb, now()) ON CONFLICT (payment_id) DO UPDATE SET status = EXCLUDED.status, "
            + "body = EXCLUDED.body, updated_at = now()";

    private final HttpServer server;
    private final ExecutorService workers;
    private final HikariDataSource pool;
    private final IpnSignatureVerifier verifier;

    public OldHandler(HikariDataSource pool, String secret) throws IOException {
        this.pool = pool;
        this.verifier = new IpnSignatureVerifier(List.of(new IpnSecret("current", secret)));
        createTable(pool);
        this.workers = Executors.newFixedThreadPool(THREADS);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/ipn", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    private static void createTable(HikariDataSource pool) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS old_ledger (payment_id BIGINT PRIMARY KEY, "
                    + "status TEXT NOT NULL, body JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create old_ledger", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String signature = exchange.getRequestHeaders().getFirst("x-nowpayments-sig");
        int status;
        if (signature == null || verifier.verify(body, signature).isEmpty()) {
            status = 401;
        } else {
            status = write(body);
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private int write(byte[] body) {
        try (Connection connection = pool.getConnection();
                PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            JsonNode ipn = Json.mapper().readTree(body);
            upsert.setLong(1, ipn.get("payment_id").asLong());
            upsert.setString(2, ipn.get("payment_status").asText());
            upsert.setString(3, new String(body, StandardCharsets.UTF_8));
            upsert.executeUpdate();
            return 200;
        } catch (SQLException e) {
            return 500;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
