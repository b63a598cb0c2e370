package io.ipnpipeline.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every response body the gateway writes: small JSON objects, never a stack trace or an exception message,
 * never cached.
 */
public final class Responses {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** The same name made once, so Vert.x neither validates nor hashes it again per response. */
    public static final CharSequence REQUEST_ID_HEADER_NAME = HttpHeaders.createOptimized(REQUEST_ID_HEADER);
    /** Key of the request id in the routing context, set by the first handler of every route. */
    public static final String REQUEST_ID = "request_id";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Header values made once; Netty writes an AsciiString without encoding it again. */
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Map<String, ?> body) {
        json(ctx.response(), status, body);
    }

    public static void json(HttpServerResponse response, int status, Map<String, ?> body) {
        if (response.ended() || response.closed()) {
            return;
        }
        String text;
        try {
            text = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            // only strings and numbers go in; a failure here is a programming error
            throw new IllegalStateException("cannot write a response body", e);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .end(text);
    }

    /** A body already encoded as JSON (a constant, such as the 200 of an IPN): nothing to encode per request. */
    public static void json(HttpServerResponse response, int status, Buffer json) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .end(json);
    }

    public static void error(RoutingContext ctx, int status, String message) {
        error(ctx.response(), ctx.get(REQUEST_ID), status, message);
    }

    /** {@code {"error": message, "request_id": id}}; the id is left out when there is none. */
    public static void error(HttpServerResponse response, String requestId, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        json(response, status, body);
    }

    /** 503 with Retry-After, the answer that makes NOWPayments (and browsers polling) try again. */
    public static void unavailable(RoutingContext ctx, int retryAfterSeconds, String message) {
        retryAfter(ctx.response(), retryAfterSeconds);
        error(ctx, 503, message);
    }

    /** Retry-After, unless the answer is already sent (a 408 while the work behind it was still running). */
    public static void retryAfter(HttpServerResponse response, int seconds) {
        if (!response.ended()) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(seconds));
        }
    }
}
