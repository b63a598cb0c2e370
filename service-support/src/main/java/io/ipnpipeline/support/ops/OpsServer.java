package io.ipnpipeline.support.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small operations port of the processor, sink and registry: {@code GET /health/live},
 * {@code GET /health/ready} (503 until {@code ready} says so) and {@code GET /metrics} in Prometheus text.
 * Two threads suffice: it serves probes and scrapes, not traffic.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on {@code port} (0 for any free port) on all interfaces; always live while the process runs. */
    public static OpsServer start(String name, int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        return start(name, port, registry, () -> true, ready);
    }

    /**
     * As {@link #start(String, int, PrometheusMeterRegistry, BooleanSupplier)}, with a liveness check: a service
     * whose engine has died for good (e.g. Kafka Streams in ERROR) answers 503 on {@code /health/live} so its
     * supervisor restarts it.
     */
    public static OpsServer start(String name, int port, PrometheusMeterRegistry registry, BooleanSupplier live,
            BooleanSupplier ready) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 32);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, name + "-ops");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/health/live", exchange -> {
            boolean isLive = safely(live);
            respond(exchange, isLive ? 200 : 503, "application/json",
                    "{\"status\":\"" + (isLive ? "UP" : "DOWN") + "\"}");
        });
        server.createContext("/health/ready", exchange -> {
            boolean isReady = safely(ready);
            respond(exchange, isReady ? 200 : 503, "application/json",
                    "{\"status\":\"" + (isReady ? "UP" : "DOWN") + "\",\"ready\":" + isReady + "}");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/", exchange -> respond(exchange, 404, "application/json",
                "{\"error\":\"not found\"}"));
        server.start();
        LOG.info("{} operations endpoints on port {}", name, server.getAddress().getPort());
        return new OpsServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static boolean safely(BooleanSupplier ready) {
        try {
            return ready.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("readiness check failed: {}", e.toString());
            return false;
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                status = 405;
                body = "{\"error\":\"method not allowed\"}";
                contentType = "application/json";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
