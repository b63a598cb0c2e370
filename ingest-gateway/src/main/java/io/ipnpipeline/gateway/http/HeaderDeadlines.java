package io.ipnpipeline.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes a connection that has not started a request within a fixed time of opening or of its previous request,
 * when nothing is in flight on it. Vert.x hands a request over only once its headers are complete, and its idle
 * timeout starts again with every byte, so without this a client trickling header bytes would hold a connection
 * (and a file descriptor) as long as it liked. A keep-alive connection that is merely idle is closed by the idle
 * timeout at about the same time anyway.
 *
 * <p>One instance per HTTP server, used on that server's event loop only, so it needs no locking. A sweep once a
 * second looks at the open connections; nothing is scheduled per request.
 */
public final class HeaderDeadlines {

    private static final long SWEEP_MS = 1_000;

    private final Vertx vertx;
    private final long timeoutNanos;
    private final Map<HttpConnection, Open> open = new IdentityHashMap<>();
    private boolean sweeping;

    public HeaderDeadlines(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Sets the server's connection and request handlers; {@code requests} gets every request. */
    public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
        return server.connectionHandler(this::opened).requestHandler(request -> {
            began(request);
            requests.handle(request);
        });
    }

    /** A connection and what it last did. */
    private static final class Open {
        HttpServerRequest latest;
        long sinceNanos;

        Open(long sinceNanos) {
            this.sinceNanos = sinceNanos;
        }

        boolean idleSince(long nowNanos, long timeoutNanos) {
            boolean inFlight = latest != null && !latest.response().ended();
            return !inFlight && nowNanos - sinceNanos > timeoutNanos;
        }
    }

    private void opened(HttpConnection connection) {
        if (!sweeping) {
            // armed from the server's own event loop, so the sweep runs there too
            sweeping = true;
            vertx.setPeriodic(SWEEP_MS, id -> sweep());
        }
        open.put(connection, new Open(System.nanoTime()));
        connection.closeHandler(closed -> open.remove(connection));
    }

    private void began(HttpServerRequest request) {
        Open connection = open.get(request.connection());
        if (connection != null) {
            connection.latest = request;
            connection.sinceNanos = System.nanoTime();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        List<HttpConnection> late = new ArrayList<>();
        open.forEach((connection, state) -> {
            if (state.idleSince(now, timeoutNanos)) {
                late.add(connection);
            }
        });
        late.forEach(HttpConnection::close);
    }
}
