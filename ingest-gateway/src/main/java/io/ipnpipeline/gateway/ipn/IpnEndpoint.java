package io.ipnpipeline.gateway.ipn;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.http.Timeouts;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>Bodies being received share one budget of bytes ({@code IPN_MAX_RECEIVING_BYTES}), reserved as they arrive
 * (see {@link IpnCall}): a request that cannot get its share is answered 503 with {@code Retry-After} and its
 * connection closed, so many slow or silent bodies cost a bounded amount of memory, not the heap.
 */
public final class IpnEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(IpnEndpoint.class);
    private static final byte[] NO_BODY = new byte[0];

    private final IpnHandler handler;
    private final Timeouts timeout;
    private final SourceCheck sources;
    private final long maxBodyBytes;
    private final GatewayMetrics metrics;
    private final AtomicLong receiving;
    private final long maxReceivingBytes;

    public IpnEndpoint(Vertx vertx, GatewayConfig config, IpnHandler handler, GatewayMetrics metrics) {
        this.handler = handler;
        this.timeout = new Timeouts(vertx, config.requestTimeout());
        this.sources = new SourceCheck(config.allowedSources(), metrics);
        this.maxBodyBytes = config.maxBodyBytes();
        this.metrics = metrics;
        this.receiving = metrics.receivingBytes();
        this.maxReceivingBytes = config.maxReceivingBytes();
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
        if (!call.readBody(length, maxBodyBytes)) {
            overloaded(call);
        }
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

    /** Takes {@code bytes} from the budget for bodies being received, if it has them. */
    boolean reserve(int bytes) {
        long now;
        long next;
        do {
            now = receiving.get();
            next = now + bytes;
            if (next > maxReceivingBytes) {
                return false;
            }
        } while (!receiving.compareAndSet(now, next));
        return true;
    }

    void release(int bytes) {
        receiving.addAndGet(-bytes);
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

    /**
     * Too many bodies arriving at once: 503 now, and the connection closed, since the rest of its body has no
     * room; NOWPayments retries after {@code Retry-After}.
     */
    void overloaded(IpnCall call) {
        metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.SATURATED.word());
        IpnHandler.log(call.requestId(), null, IpnHandler.Outcome.SATURATED, System.nanoTime());
        HttpServerResponse response = call.response();
        Responses.retryAfter(response, IpnHandler.RETRY_AFTER_SATURATED);
        if (!response.ended()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            Responses.error(response, call.requestId(), 503, "too many IPNs arriving at once, retry shortly");
        }
        call.request().connection().close();
    }

    /**
     * Never a stack trace or exception text in a response: the log has it, under the request id. A client that
     * closes its connection before its answer is not a failure of the gateway: it is counted and logged as
     * aborted, once, unless it was answered already (then the close is only the end of a 408, 413 or 503).
     */
    void failed(IpnCall call, Throwable error) {
        if (error instanceof HttpClosedException) {
            if (!call.response().ended()) {
                metrics.request(IpnHandler.ROUTE, IpnHandler.Outcome.ABORTED.word());
                IpnHandler.log(call.requestId(), null, IpnHandler.Outcome.ABORTED, System.nanoTime());
            }
            return;
        }
        LOG.error("unexpected failure (request_id={})", call.requestId(), error);
        Responses.error(call.response(), call.requestId(), 500, "internal error");
    }
}
