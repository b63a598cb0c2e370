package io.ipnpipeline.gateway.ipn;

import io.ipnpipeline.gateway.http.Timeouts;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Arrays;

/**
 * One IPN request from its headers to its answer: its id, and its body as it arrives, kept within the limit.
 * Used only on the request's event loop.
 *
 * <p>The body's buffer grows with what actually arrives, never to what the client merely announces, and every
 * byte of it is reserved from the endpoint's budget for bodies being received ({@code IPN_MAX_RECEIVING_BYTES})
 * until the body is complete or the request is over: so connections that announce 64 KiB and send nothing hold
 * 4 KiB each at most, and all of them together no more than the budget.
 */
final class IpnCall implements Timeouts.Watched, Handler<Buffer> {

    /**
     * The first buffer of a body announced larger: a real IPN (~600 bytes) still gets one array of its exact
     * size, filled in place.
     */
    static final int FIRST_BUFFER_BYTES = 4_096;

    private final IpnEndpoint endpoint;
    private final HttpServerRequest request;
    private final String requestId;
    private long limit;
    /** The announced Content-Length, or the limit for a chunked body: what the buffer may grow to. */
    private long expected;
    /** Reserved from the endpoint's budget while not null; released exactly once. */
    private byte[] body;
    private int received;
    /** Answered before the body was complete (413, 503): the rest is read and dropped. */
    private boolean discarding;

    IpnCall(IpnEndpoint endpoint, HttpServerRequest request, String requestId) {
        this.endpoint = endpoint;
        this.request = request;
        this.requestId = requestId;
    }

    HttpServerRequest request() {
        return request;
    }

    String requestId() {
        return requestId;
    }

    HttpServerResponse response() {
        return request.response();
    }

    /** Answered, or its connection gone: the request timeout no longer applies. */
    @Override
    public boolean done() {
        HttpServerResponse response = response();
        return response.ended() || response.closed();
    }

    @Override
    public void expire() {
        release();
        endpoint.timedOut(this);
    }

    /**
     * Reads the body; {@code length} is the announced Content-Length, -1 for a chunked body. False, with nothing
     * read or reserved, when the budget for bodies being received cannot hold even its first buffer.
     */
    boolean readBody(long length, long limit) {
        this.limit = limit;
        this.expected = length >= 0 ? length : limit;
        int first = (int) Math.min(expected, FIRST_BUFFER_BYTES);
        if (!endpoint.reserve(first)) {
            return false;
        }
        body = new byte[first];
        request.handler(this)
                .endHandler(ignored -> end())
                .exceptionHandler(this::failed)
                .resume();
        return true;
    }

    @Override
    public void handle(Buffer chunk) {
        if (discarding || body == null) {
            return; // answered already; the rest of the body is read and dropped
        }
        int length = chunk.length();
        long total = received + (long) length;
        if (total > limit) {
            stopReading();
            endpoint.tooLarge(this);
            return;
        }
        if (total > body.length && !grow((int) total)) {
            stopReading();
            endpoint.overloaded(this);
            return;
        }
        chunk.getBytes(0, length, body, received);
        received = (int) total;
    }

    /**
     * Doubles the buffer (at least to {@code needed}), up to what was announced: a body sent in full costs a few
     * copies, one announced large but never sent costs nothing more.
     */
    private boolean grow(int needed) {
        // more than announced is not possible with HTTP/1.1 framing; the limit still holds if it were
        long most = Math.max(expected, needed);
        int size = (int) Math.min(most, Math.max(needed, 2L * body.length));
        if (!endpoint.reserve(size - body.length)) {
            return false;
        }
        body = Arrays.copyOf(body, size);
        return true;
    }

    private void stopReading() {
        discarding = true;
        release();
    }

    /** Gives the buffer's bytes back to the budget; safe to call again. */
    private void release() {
        if (body != null) {
            endpoint.release(body.length);
            body = null;
        }
    }

    private void failed(Throwable error) {
        release();
        endpoint.failed(this, error);
    }

    private void end() {
        if (discarding || body == null || response().ended()) {
            release();
            return; // answered already (413, 503, or 408 while the body trickled in)
        }
        byte[] whole = received == body.length ? body : Arrays.copyOf(body, received);
        release(); // complete: from here on the in-flight bound applies, not the receiving budget
        endpoint.received(this, whole);
    }
}
