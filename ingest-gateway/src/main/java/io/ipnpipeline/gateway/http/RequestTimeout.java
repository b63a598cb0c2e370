package io.ipnpipeline.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@link Watched#timedOut} on a request whose response has not ended within the timeout, as vertx-web's
 * {@code TimeoutHandler} does, but without a timer per request: that one sets and cancels a Netty scheduled task
 * for every request, which at thousands of requests a second in flight is a visible share of an event loop.
 * Here each event loop keeps a list of its open requests, swept by one periodic timer every tenth of the timeout
 * (at most 100 ms), so a request is cut off between the timeout and one sweep later.
 */
public final class RequestTimeout {

    private static final long MAX_SWEEP_MILLIS = 100;

    private final Vertx vertx;
    private final long timeoutNanos;
    private final long sweepMillis;

    /** A request being watched: its response, and what to answer when it has not ended in time. */
    public interface Watched {
        HttpServerResponse response();

        void timedOut();
    }

    public RequestTimeout(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.max(1, Math.min(MAX_SWEEP_MILLIS, timeout.toMillis() / 10));
    }

    /** Call on the request's event loop, before reading its body. */
    public void watch(Watched request) {
        Context context = vertx.getOrCreateContext();
        Open open = context.get(this);
        if (open == null) {
            open = new Open();
            context.put(this, open);
            Open sweeping = open;
            vertx.setPeriodic(sweepMillis, id -> sweeping.sweep());
        }
        open.requests.add(new Request(request, System.nanoTime() + timeoutNanos));
    }

    private record Request(Watched watched, long deadlineNanos) {
    }

    /** The requests of one event loop whose response had not ended at the last sweep; used only on that loop. */
    private static final class Open {
        private List<Request> requests = new ArrayList<>();

        void sweep() {
            if (requests.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            List<Request> still = new ArrayList<>(requests.size());
            for (Request request : requests) {
                HttpServerResponse response = request.watched.response();
                if (response.ended() || response.closed()) {
                    continue;
                }
                if (request.deadlineNanos - now <= 0) {
                    request.watched.timedOut();
                } else {
                    still.add(request);
                }
            }
            requests = still;
        }
    }

    @Override
    public String toString() {
        return "RequestTimeout[" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms]";
    }
}
