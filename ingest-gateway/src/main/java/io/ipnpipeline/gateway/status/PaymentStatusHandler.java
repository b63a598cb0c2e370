package io.ipnpipeline.gateway.status;

import io.ipnpipeline.contracts.order.OrderIdParser;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/payment-status?order_id=...}: what the landing page polls. Answers only
 * {@code order_id, status, updated_at, message}: the order id is guessable, so nothing else (no amounts, no
 * wallets, no ids of other users) may be in it. Unknown means {@code pending}, never an error; a database that
 * does not answer means 503, never 500.
 */
public final class PaymentStatusHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentStatusHandler.class);
    public static final String ROUTE = "/api/payment-status";

    private final PaymentStatusRepository repository;
    private final WorkerExecutor workers;
    private final GatewayMetrics metrics;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();

    /**
     * @param workers   a bounded pool; JDBC blocks and must never run on an event loop
     * @param maxQueued lookups waiting for or holding a worker; beyond it 503 rather than an unbounded queue
     */
    public PaymentStatusHandler(PaymentStatusRepository repository, WorkerExecutor workers, GatewayMetrics metrics,
            int maxQueued) {
        this.repository = repository;
        this.workers = workers;
        this.metrics = metrics;
        this.maxQueued = maxQueued;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String raw = orderIdParam(ctx);
        if (!(OrderIdParser.parse(raw) instanceof OrderIdParser.Parsed parsed)) {
            metrics.request(ROUTE, "bad_request");
            Responses.error(ctx, 400, "order_id is missing or not a valid order id");
            return;
        }
        metrics.statusPolled(parsed.orderId().canonical());
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            metrics.request(ROUTE, "saturated");
            Responses.unavailable(ctx, 1, "status temporarily unavailable");
            return;
        }
        String orderId = raw.strip();
        workers.executeBlocking(() -> repository.find(parsed.orderId()), false)
                .onComplete(result -> {
                    queued.decrementAndGet();
                    answer(ctx, orderId, result);
                });
    }

    /**
     * The {@code order_id} parameter, or null when the query string cannot be decoded at all ({@code %zz}, a
     * lone {@code %}, anywhere in it): Netty's decoder throws for those, and that is the client's bad order id,
     * not a failure of the gateway.
     */
    private static String orderIdParam(RoutingContext ctx) {
        try {
            return ctx.request().getParam("order_id");
        } catch (IllegalArgumentException undecodable) {
            return null;
        }
    }

    private void answer(RoutingContext ctx, String orderId, AsyncResult<Optional<PaymentStatusRepository.Known>> result) {
        if (result.failed()) {
            metrics.request(ROUTE, "unavailable");
            LOG.warn("payment status lookup failed (request_id={}): {}", ctx.get(Responses.REQUEST_ID),
                    result.cause().toString());
            Responses.unavailable(ctx, 5, "status temporarily unavailable");
            return;
        }
        Optional<PaymentStatusRepository.Known> known = result.result();
        StatusWord word = known.map(PaymentStatusRepository.Known::word).orElse(StatusWord.PENDING);
        Instant updatedAt = known.map(PaymentStatusRepository.Known::updatedAt).orElse(null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("order_id", orderId);
        body.put("status", word.word());
        body.put("updated_at", updatedAt == null ? null : updatedAt.toString());
        body.put("message", StatusMessages.of(word));
        metrics.request(ROUTE, "ok");
        Responses.json(ctx, 200, body);
    }
}
