package io.ipnpipeline.localstack.ipn;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.gateway.status.PaymentStatusHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks a gateway's status API what the landing page would be told about an order. */
public final class StatusClient {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gatewayUrl;

    public StatusClient(String gatewayUrl) {
        this.gatewayUrl = IpnSender.stripSlash(gatewayUrl);
    }

    /** The answer: HTTP status, the {@code status} word, and the whole body as received. */
    public record Answer(int httpStatus, String status, String body) {
    }

    public Answer status(String orderId) throws IOException, InterruptedException {
        URI uri = URI.create(gatewayUrl + PaymentStatusHandler.ROUTE + "?order_id="
                + URLEncoder.encode(orderId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json = response.body().isBlank() ? null : Json.mapper().readTree(response.body());
        String word = json == null ? "" : json.path("status").asText("");
        return new Answer(response.statusCode(), word, response.body());
    }
}
