package io.ipnpipeline.gateway.ipn;

import io.ipnpipeline.gateway.config.SourceAllowList;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;

/** 403 for an IPN from a source outside {@code IPN_ALLOWED_SOURCES} (when set), before its body is read. */
final class SourceCheck {

    private final SourceAllowList sources;
    private final GatewayMetrics metrics;

    SourceCheck(SourceAllowList sources, GatewayMetrics metrics) {
        this.sources = sources;
        this.metrics = metrics;
    }

    /** True when the call may go on; otherwise it has been answered 403 and its connection will close. */
    boolean admits(IpnCall call) {
        if (!sources.isEnabled()) {
            return true; // the list is off: everything is let through, no need to ask
        }
        SocketAddress peer = call.request().remoteAddress();
        if (sources.allows(peer == null ? null : peer.hostAddress())) {
            return true;
        }
        metrics.sourceRejected();
        metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.FORBIDDEN_SOURCE.word());
        IpnHandler.log(call.requestId(), null, IpnHandler.Outcome.FORBIDDEN_SOURCE, System.nanoTime());
        HttpServerResponse response = call.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        Responses.error(response, call.requestId(), 403, "source not allowed");
        return false;
    }
}
