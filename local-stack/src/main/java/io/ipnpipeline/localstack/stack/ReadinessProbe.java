package io.ipnpipeline.localstack.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Polls {@code /health/ready} endpoints until every one answers 200, or the time is up. */
public final class ReadinessProbe {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Returns the endpoints still not ready when {@code timeout} ran out; empty means all are ready. */
    public List<URI> await(List<URI> endpoints, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<URI> waiting = new ArrayList<>(endpoints);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting.removeIf(this::isReady);
            if (!waiting.isEmpty()) {
                Thread.sleep(100);
            }
        }
        return waiting;
    }

    private boolean isReady(URI endpoint) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            // not listening yet: the normal state of a service that is still starting
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
