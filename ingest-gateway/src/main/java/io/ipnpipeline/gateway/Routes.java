package io.ipnpipeline.gateway;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.RequestIds;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.ipn.IpnEndpoint;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.gateway.landing.LandingPage;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.ipnpipeline.gateway.ops.Readiness;
import io.ipnpipeline.gateway.status.PaymentStatusHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's HTTP surface, in one place. */
final class Routes {

    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private Routes() {
    }

    /**
     * The public port's request handler: IPNs, status API, landing page and health (load balancers probe it
     * here). No {@code /metrics}: request counts, signature failures and stuck payments are for operators only.
     */
    static Handler<HttpServerRequest> build(Vertx vertx, GatewayConfig config, IpnHandler ipn,
            PaymentStatusHandler status, Readiness readiness, GatewayMetrics metrics, WorkerExecutor ops) {
        Router router = Router.router(vertx);
        router.route().handler(Routes::requestId);
        IpnEndpoint endpoint = new IpnEndpoint(vertx, config, ipn, metrics);
        mountIpn(router, endpoint);
        mountStatus(router, config, status);
        router.get(LandingPage.ROUTE).handler(new LandingPage(config.supportContact()));
        mountHealth(router, readiness, ops);
        mountErrors(router);
        return front(endpoint, router);
    }

    /** The operations port's request handler ({@code GATEWAY_OPS_PORT}): health and Prometheus metrics. */
    static Handler<HttpServerRequest> ops(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry,
            WorkerExecutor ops) {
        Router router = Router.router(vertx);
        router.route().handler(Routes::requestId);
        mountHealth(router, readiness, ops);
        mountMetrics(router, registry, ops);
        mountErrors(router);
        return router;
    }

    /**
     * IPNs as NOWPayments sends them go straight to the endpoint; everything else, including every other form of
     * the IPN paths, to the router. The work per IPN is a few dozen microseconds: routing it cost a sixth of that.
     */
    static Handler<HttpServerRequest> front(IpnEndpoint ipn, Router router) {
        return request -> {
            if (IpnEndpoint.serves(request)) {
                ipn.handle(request, newRequestId(request.response()));
            } else {
                router.handle(request);
            }
        };
    }

    /**
     * {@code POST /ipn}, and {@code POST /}: the old callback URL, kept so NOWPayments' setting keeps working. The
     * router matches what {@link #front} leaves to it ({@code /ipn/}, {@code //ipn}, ...), and 405 for other
     * methods on these paths.
     */
    static void mountIpn(Router router, IpnEndpoint endpoint) {
        for (String path : new String[] {IpnHandler.ROUTE, "/"}) {
            router.post(path).handler(ctx -> endpoint.handle(ctx.request(), ctx.get(Responses.REQUEST_ID)));
        }
    }

    static void mountStatus(Router router, GatewayConfig config, PaymentStatusHandler status) {
        if (!config.corsOrigins().isEmpty()) {
            CorsHandler cors = CorsHandler.create().allowedMethod(HttpMethod.GET);
            if (config.corsOrigins().contains("*")) {
                cors.addOrigin("*");
            } else {
                cors.addOrigins(config.corsOrigins());
            }
            router.route("/api/*").handler(cors);
        }
        router.get(PaymentStatusHandler.ROUTE).handler(status);
    }

    static void mountHealth(Router router, Readiness readiness, WorkerExecutor ops) {
        router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, Map.of("status", "UP")));
        router.get("/health/ready").handler(ctx -> ops.executeBlocking(readiness::check, false)
                .onSuccess(result -> ready(ctx, result))
                .onFailure(error -> ready(ctx, new Readiness.Status(false, false))));
    }

    static void mountMetrics(Router router, PrometheusMeterRegistry registry, WorkerExecutor ops) {
        router.get("/metrics").handler(ctx -> ops.executeBlocking(registry::scrape, false)
                .onSuccess(text -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end(text))
                .onFailure(ctx::fail));
    }

    static void mountErrors(Router router) {
        router.route().failureHandler(Routes::failure);
        router.errorHandler(404, ctx -> Responses.error(ctx, 404, "not found"));
        router.errorHandler(405, ctx -> Responses.error(ctx, 405, "method not allowed"));
        router.errorHandler(500, Routes::failure);
    }

    /** Every request gets an id, in the response header, the Kafka header and its log line. */
    static void requestId(RoutingContext ctx) {
        ctx.put(Responses.REQUEST_ID, newRequestId(ctx.response()));
        ctx.next();
    }

    /** A fresh request id, already on the response's header. */
    private static String newRequestId(HttpServerResponse response) {
        String id = RequestIds.next();
        response.putHeader(Responses.REQUEST_ID_HEADER_NAME, id);
        return id;
    }

    private static void ready(RoutingContext ctx, Readiness.Status result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.ready() ? "UP" : "DOWN");
        body.put("kafka", result.kafka() ? "UP" : "DOWN");
        body.put("postgresql", result.postgres() ? "UP" : "DOWN");
        Responses.json(ctx, result.ready() ? 200 : 503, body);
    }

    /** Never a stack trace or exception text in a response: the log has it, under the request id. */
    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status >= 400 && status < 500) {
            Responses.error(ctx, status, status == 404 ? "not found" : "bad request");
            return;
        }
        LOG.error("unexpected failure (request_id={})", (String) ctx.get(Responses.REQUEST_ID), ctx.failure());
        Responses.error(ctx, 500, "internal error");
    }
}
