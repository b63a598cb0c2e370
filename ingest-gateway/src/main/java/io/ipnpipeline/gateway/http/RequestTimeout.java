package io.ipnpipeline.gateway.http;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fails a request with {@code status} (408) when its response has not ended within the timeout, as vertx-web's
 * {@code TimeoutHandler} does, but without a timer per request: that one sets and cancels a Netty scheduled task
 * for every request, which at thousands of requests a second in flight is a visible share of an event loop.
 * Here each event loop keeps a list of its open requests, swept by one periodic timer every tenth of the timeout
 * (at most 100 ms), so a request is cut off between the timeout and one sweep later. A platform handler, as
 * TimeoutHandler is, so it runs before the body is read.
 */
public final class RequestTimeout implements PlatformHandler {

    private static final long MAX_SWEEP_MILLIS = 100;

    private final long timeoutNanos;
    private final long sweepMillis;
    private final int status;

    public RequestTimeout(Duration timeout, int status) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.max(1, Math.min(MAX_SWEEP_MILLIS, timeout.toMillis() / 10));
        this.status = status;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Context context = ctx.vertx().getOrCreateContext();
        Open open = context.get(this);
        if (open == null) {
            open = new Open();
            context.put(this, open);
            Open sweeping = open;
            ctx.vertx().setPeriodic(sweepMillis, id -> sweeping.sweep());
        }
        open.requests.add(new Request(ctx, System.nanoTime() + timeoutNanos));
        ctx.next();
    }

    private record Request(RoutingContext ctx, long deadlineNanos) {
    }

    /** The requests of one event loop whose response had not ended at the last sweep; used only on that loop. */
    private final class Open {
        private List<Request> requests = new ArrayList<>();

        void sweep() {
            if (requests.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            List<Request> still = new ArrayList<>(requests.size());
            for (Request request : requests) {
                if (request.ctx.response().ended() || request.ctx.response().closed() || request.ctx.failed()) {
                    continue;
                }
                if (request.deadlineNanos - now <= 0) {
                    request.ctx.fail(status);
                } else {
                    still.add(request);
                }
            }
            requests = still;
        }
    }

    @Override
    public String toString() {
        return "RequestTimeout[" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms, " + status + "]";
    }
}
