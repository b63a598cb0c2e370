package io.ipnpipeline.gateway.http;

import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** The gateway's HTTP server options, in one place for the service and the tests that stand in for it. */
public final class ServerOptions {

    private ServerOptions() {
    }

    /** Everything but host and port. */
    public static HttpServerOptions base() {
        return new HttpServerOptions()
                .setIdleTimeout(60)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                // HTTP/1.1 only: with cleartext HTTP/2 detection on, a connection becomes an HttpConnection (and
                // reaches HeaderDeadlines) only once its first request is read, so trickled first headers escape
                .setHttp2ClearTextEnabled(false)
                // no WebSocket is served: without these Netty's extension handler sits in every read and write
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
    }
}
