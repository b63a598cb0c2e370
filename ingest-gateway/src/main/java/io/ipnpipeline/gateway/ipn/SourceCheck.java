package io.ipnpipeline.gateway.ipn;

import io.ipnpipeline.gateway.config.SourceAllowList;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * 403 for an IPN from a source outside {@code IPN_ALLOWED_SOURCES} (when set), before its body is read. A
 * platform handler, because Vert.x runs those before the body handler.
 */
public final class SourceCheck implements PlatformHandler {

    private final SourceAllowList sources;
    private final GatewayMetrics metrics;

    public SourceCheck(SourceAllowList sources, GatewayMetrics metrics) {
        this.sources = sources;
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        if (sources.allows(peer == null ? null : peer.hostAddress())) {
            ctx.next();
            return;
        }
        metrics.sourceRejected();
        metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.FORBIDDEN_SOURCE.word());
        IpnHandler.log(ctx, null, IpnHandler.Outcome.FORBIDDEN_SOURCE, System.nanoTime());
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        Responses.error(ctx, 403, "source not allowed");
    }
}
