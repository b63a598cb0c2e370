package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Talks to a running gateway the way NOWPayments and the landing page do, over real HTTP/1.1. */
final class GatewayClient {

    static final String SECRET = "test-ipn-secret-7f3a9c5e";
    static final String PREVIOUS_SECRET = "old-ipn-secret-19bd0042";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    GatewayClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    static String sign(byte[] body) {
        return IpnSigner.sign(SECRET, body, SignatureForm.DEEP_SORTED);
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, byte[] body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("x-nowpayments-sig", signature);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, byte[] body, String signature) {
        return postAsync(path, body, signature).join();
    }

    /** A correctly signed IPN to {@code /ipn}. */
    HttpResponse<String> ipn(byte[] body) {
        return post("/ipn", body, sign(body));
    }

    HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, Map.of());
    }

    /** No response body may reveal internals: no exception names, stack frames or package names. */
    static void assertNoInternals(HttpResponse<String> response) {
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("io.ipnpipeline")
                .doesNotContain("org.apache")
                .doesNotContain("java.");
    }
}
