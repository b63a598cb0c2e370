package io.ipnpipeline.gateway.ipn;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.http.Timeouts;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPN endpoint on Vert.x core alone: request timeout, source allow-list, the body read within
 * {@code IPN_MAX_BODY_BYTES}, then {@link IpnHandler}. The gateway serves the IPN requests it sees most
 * ({@link #serves}) here ahead of the vertx-web router, whose routing context, route matching and body handler
 * were a sixth of an event loop per IPN; the router hands it every other form of the IPN paths it matches
 * ({@code /ipn/}, {@code //ipn}), so each gets the same answer either way. The steps and answers are those of
 * vertx-web's {@code TimeoutHandler} and {@code BodyHandler} as the router ran them: 413 at once for a
 * Content-Length over the limit, or as soon as a chunked body passes it; {@code Expect: 100-continue} honoured,
 * any other expectation 417.
 */
public final class IpnEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(IpnEndpoint.class);
    private static final byte[] NO_BODY = new byte[0];

    private final IpnHandler handler;
    private final Timeouts timeout;
    private final SourceCheck sources;
    private final long maxBodyBytes;
    private final GatewayMetrics metrics;

    public IpnEndpoint(Vertx vertx, GatewayConfig config, IpnHandler handler, GatewayMetrics metrics) {
        this.handler = handler;
        this.timeout = new Timeouts(vertx, config.requestTimeout());
        this.sources = new SourceCheck(config.allowedSources(), metrics);
        this.maxBodyBytes = config.maxBodyBytes();
        this.metrics = metrics;
    }

    /** {@code POST /ipn} and {@code POST /} exactly, with any query string: what NOWPayments sends. */
    public static boolean serves(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            return false;
        }
        String path = request.path();
        return IpnHandler.ROUTE.equals(path) || "/".equals(path);
    }

    /** Serves one IPN; call from the request handler itself, before any of the body can have been delivered. */
    public void handle(HttpServerRequest request, String requestId) {
        IpnCall call = new IpnCall(this, request, requestId);
        try {
            timeout.watch(call);
            if (sources.admits(call)) {
                readBody(call);
            }
        } catch (RuntimeException e) {
            failed(call, e);
        }
    }

    private void readBody(IpnCall call) {
        HttpServerRequest request = call.request();
        long length = contentLength(request);
        if (length < 0 && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            received(call, NO_BODY); // no body at all: answered 400 as "not a JSON object"
            return;
        }
        if (length > maxBodyBytes) {
            tooLarge(call); // known before a byte of it is read
            return;
        }
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                Responses.error(call.response(), call.requestId(), 417, "bad request");
                return;
            }
            if (request.version() != HttpVersion.HTTP_1_0) {
                call.response().writeContinue();
            }
        }
        if (request.isEnded()) {
            throw new IllegalStateException("IPN request ended before its body could be read");
        }
        call.readBody(length, maxBodyBytes);
    }

    /** The Content-Length header's value; -1 when absent, empty, negative or not a number. */
    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            long length = Long.parseLong(value);
            return length < 0 ? -1 : length;
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    void received(IpnCall call, byte[] body) {
        try {
            handler.handle(call, body);
        } catch (RuntimeException e) {
            failed(call, e);
        }
    }

    void tooLarge(IpnCall call) {
        metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.TOO_LARGE.word());
        IpnHandler.log(call.requestId(), null, IpnHandler.Outcome.TOO_LARGE, System.nanoTime());
        Responses.error(call.response(), call.requestId(), 413, "body larger than the limit");
    }

    /** The request may still be sending its body: answer, then drop the connection it is holding. */
    void timedOut(IpnCall call) {
        metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.TIMEOUT.word());
        IpnHandler.log(call.requestId(), null, IpnHandler.Outcome.TIMEOUT, System.nanoTime());
        HttpServerResponse response = call.response();
        if (!response.ended()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            Responses.error(response, call.requestId(), 408, "request not received in time");
        }
        call.request().connection().close();
    }

    /** Never a stack trace or exception text in a response: the log has it, under the request id. */
    void failed(IpnCall call, Throwable error) {
        LOG.error("unexpected failure (request_id={})", call.requestId(), error);
        Responses.error(call.response(), call.requestId(), 500, "internal error");
    }
}
