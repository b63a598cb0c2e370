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
 */
final class IpnCall implements Timeouts.Watched, Handler<Buffer> {

    private final IpnEndpoint endpoint;
    private final HttpServerRequest request;
    private final String requestId;
    private long limit;
    /** The body when its length was announced: filled in place, no buffer growing chunk by chunk. */
    private byte[] announced;
    private Buffer chunks;
    private int received;
    private boolean tooLarge;

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
        endpoint.timedOut(this);
    }

    /** Reads the body; {@code length} is the announced Content-Length, -1 for a chunked body. */
    void readBody(long length, long limit) {
        this.limit = limit;
        if (length >= 0) {
            announced = new byte[(int) length];
        } else {
            chunks = Buffer.buffer();
        }
        request.handler(this)
                .endHandler(ignored -> end())
                .exceptionHandler(error -> endpoint.failed(this, error))
                .resume();
    }

    @Override
    public void handle(Buffer chunk) {
        if (tooLarge) {
            return; // answered 413 already; the rest of the body is read and dropped
        }
        int length = chunk.length();
        if (received + (long) length > limit) {
            tooLarge = true;
            endpoint.tooLarge(this);
            return;
        }
        if (announced != null && received + length <= announced.length) {
            chunk.getBytes(0, length, announced, received);
        } else {
            moveToChunks().appendBuffer(chunk);
        }
        received += length;
    }

    /** Only if more arrives than was announced, which HTTP/1.1 framing does not let happen. */
    private Buffer moveToChunks() {
        if (chunks == null) {
            chunks = Buffer.buffer(received * 2).appendBytes(announced, 0, received);
            announced = null;
        }
        return chunks;
    }

    private void end() {
        if (tooLarge || response().ended()) {
            return; // answered already (413, or 408 while the body trickled in)
        }
        byte[] body;
        if (announced != null) {
            body = received == announced.length ? announced : Arrays.copyOf(announced, received);
        } else {
            body = chunks.getBytes();
        }
        endpoint.received(this, body);
    }
}
