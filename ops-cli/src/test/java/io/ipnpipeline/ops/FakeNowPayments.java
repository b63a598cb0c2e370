package io.ipnpipeline.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for NOWPayments' {@code GET /v1/payment/} on 127.0.0.1 (JDK HttpServer): pages of the documented
 * shape {@code {data, limit, page, pagesCount, total}}, one payment object for {@code GET /v1/payment/{id}} (404
 * with the API's error shape for an unknown id), and scripted failures (HTML error pages, 5xx) served before the
 * real answers.
 */
final class FakeNowPayments implements AutoCloseable {

    static final String API_KEY = "np-test-key-5e1f0a9c77";

    private final HttpServer server;
    private final List<ObjectNode> payments = new CopyOnWriteArrayList<>();
    private final Deque<Failure> failures = new ConcurrentLinkedDeque<>();
    final List<URI> requests = new CopyOnWriteArrayList<>();
    final List<String> apiKeysSeen = new CopyOnWriteArrayList<>();

    record Failure(int status, String contentType, String body) {
    }

    FakeNowPayments() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/payment/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A payment as the API lists it (the IPN fields, decimals as JSON numbers). */
    ObjectNode add(long paymentId, PaymentStatus status, String orderId) {
        ObjectNode payment = IpnBodyBuilder.incidentPayment().paymentId(paymentId).status(status).orderId(orderId)
                .toJsonNode();
        payments.add(payment);
        return payment;
    }

    void failNext(int status, String contentType, String body) {
        failures.add(new Failure(status, contentType, body));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestURI());
            apiKeysSeen.add(String.valueOf(exchange.getRequestHeaders().getFirst("x-api-key")));
            Failure failure = failures.poll();
            if (failure != null) {
                respond(exchange, failure.status(), failure.contentType(), failure.body());
                return;
            }
            if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                respond(exchange, 403, "application/json", "{\"status\":false,\"statusCode\":403,"
                        + "\"code\":\"INVALID_API_KEY\",\"message\":\"Invalid api key\"}");
                return;
            }
            String single = exchange.getRequestURI().getPath().substring("/v1/payment/".length());
            if (!single.isEmpty()) {
                respondOne(exchange, single);
                return;
            }
            int limit = Integer.parseInt(param(exchange, "limit", "10"));
            int page = Integer.parseInt(param(exchange, "page", "0"));
            int pagesCount = Math.max(1, (payments.size() + limit - 1) / limit);
            ArrayNode data = JsonNodeFactory.instance.arrayNode();
            List<ObjectNode> all = new ArrayList<>(payments);
            for (int i = page * limit; i < Math.min(all.size(), (page + 1) * limit); i++) {
                data.add(all.get(i));
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("data", data);
            body.put("limit", limit);
            body.put("page", page);
            body.put("pagesCount", pagesCount);
            body.put("total", all.size());
            respond(exchange, 200, "application/json; charset=utf-8", body.toString());
        }
    }

    private void respondOne(HttpExchange exchange, String id) throws IOException {
        for (ObjectNode payment : payments) {
            if (payment.path("payment_id").asText().equals(id)) {
                respond(exchange, 200, "application/json; charset=utf-8", payment.toString());
                return;
            }
        }
        respond(exchange, 404, "application/json", "{\"status\":false,\"statusCode\":404,"
                + "\"code\":\"NOT_FOUND\",\"message\":\"Payment not found\"}");
    }

    private static String param(HttpExchange exchange, String name, String fallback) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals(name) && kv.length == 2) {
                    return kv[1];
                }
            }
        }
        return fallback;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
