package io.ipnpipeline.gateway;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.RequestIds;
import io.ipnpipeline.gateway.http.RequestTimeout;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.gateway.ipn.SourceCheck;
import io.ipnpipeline.gateway.landing.LandingPage;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.ipnpipeline.gateway.ops.Readiness;
import io.ipnpipeline.gateway.status.PaymentStatusHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
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

    static Router build(Vertx vertx, GatewayConfig config, IpnHandler ipn, PaymentStatusHandler status,
            Readiness readiness, PrometheusMeterRegistry registry, GatewayMetrics metrics, WorkerExecutor ops) {
        Router router = Router.router(vertx);
        router.route().handler(Routes::requestId);
        mountIpn(router, config, ipn, metrics);
        mountStatus(router, config, status);
        router.get(LandingPage.ROUTE).handler(new LandingPage(config.supportContact()));
        mountOps(router, readiness, registry, ops);
        mountErrors(router);
        return router;
    }

    /**
     * {@code POST /ipn}, and {@code POST /}: the old callback URL, kept so NOWPayments' setting keeps working.
     * Before the body is read: the request timeout (a body trickling in is cut off) and the source allow-list.
     */
    static void mountIpn(Router router, GatewayConfig config, IpnHandler ipn, GatewayMetrics metrics) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        RequestTimeout timeout = new RequestTimeout(config.requestTimeout(), 408);
        SourceCheck sources = new SourceCheck(config.allowedSources(), metrics);
        for (String path : new String[] {IpnHandler.ROUTE, "/"}) {
            Route route = router.post(path).handler(timeout);
            if (config.allowedSources().isEnabled()) {
                route.handler(sources); // when the list is off it lets everything through: no need to ask
            }
            route.handler(body).handler(ipn).failureHandler(ctx -> ipnFailure(ctx, metrics));
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

    static void mountOps(Router router, Readiness readiness, PrometheusMeterRegistry registry, WorkerExecutor ops) {
        router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, Map.of("status", "UP")));
        router.get("/health/ready").handler(ctx -> ops.executeBlocking(readiness::check, false)
                .onSuccess(result -> ready(ctx, result))
                .onFailure(error -> ready(ctx, new Readiness.Status(false, false))));
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
        String id = RequestIds.next();
        ctx.put(Responses.REQUEST_ID, id);
        ctx.response().putHeader(Responses.REQUEST_ID_HEADER, id);
        ctx.next();
    }

    private static void ready(RoutingContext ctx, Readiness.Status result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.ready() ? "UP" : "DOWN");
        body.put("kafka", result.kafka() ? "UP" : "DOWN");
        body.put("postgresql", result.postgres() ? "UP" : "DOWN");
        Responses.json(ctx, result.ready() ? 200 : 503, body);
    }

    /** The body handler fails with 413 when the body is over the limit; anything else is answered plainly. */
    private static void ipnFailure(RoutingContext ctx, GatewayMetrics metrics) {
        if (ctx.statusCode() == 408) {
            // the request may still be sending its body: answer, then drop the connection it is holding
            metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.TIMEOUT.word());
            IpnHandler.log(ctx, null, IpnHandler.Outcome.TIMEOUT, System.nanoTime());
            if (!ctx.response().ended()) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                Responses.error(ctx, 408, "request not received in time");
            }
            ctx.request().connection().close();
            return;
        }
        if (ctx.statusCode() == 413) {
            metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.TOO_LARGE.word());
            IpnHandler.log(ctx, null, IpnHandler.Outcome.TOO_LARGE, System.nanoTime());
            Responses.error(ctx, 413, "body larger than the limit");
            return;
        }
        failure(ctx);
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
