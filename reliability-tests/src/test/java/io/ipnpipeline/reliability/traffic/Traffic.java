package io.ipnpipeline.reliability.traffic;

import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends planned payments to the gateways as NOWPayments does: each IPN signed, POSTed, and retried (to the next
 * gateway, after a short pause) until it is answered 2xx. IPNs of one payment go one after another; payments go
 * in parallel. Every 2xx is written to the {@link Ledger}.
 */
public final class Traffic implements AutoCloseable {

    /** An IPN still unacknowledged after this fails the run: the pipeline never came back. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(180);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private final Supplier<List<String>> gateways;
    private final String secret;
    private final Ledger ledger;
    private final ExecutorService senders;
    private final HttpClient client;
    private final AtomicInteger turn = new AtomicInteger();

    public Traffic(Supplier<List<String>> gateways, String secret, Ledger ledger, int parallel) {
        this.gateways = gateways;
        this.secret = secret;
        this.ledger = ledger;
        this.senders = Executors.newFixedThreadPool(parallel, runnable -> {
            Thread thread = new Thread(runnable, "traffic");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Starts sending as fast as the senders go; completes when every IPN of every payment was acknowledged. */
    public CompletableFuture<Void> send(List<PlannedPayment> payments) {
        return send(payments, 0);
    }

    /**
     * Starts sending, payment {@code i} not before {@code i / paymentsPerSecond} seconds from now (0: no pacing),
     * so a fault injected later still meets traffic.
     */
    public CompletableFuture<Void> send(List<PlannedPayment> payments, double paymentsPerSecond) {
        long start = System.nanoTime();
        CompletableFuture<?>[] all = new CompletableFuture<?>[payments.size()];
        for (int i = 0; i < payments.size(); i++) {
            PlannedPayment payment = payments.get(i);
            long notBefore = paymentsPerSecond <= 0 ? start : start + (long) (i * 1e9 / paymentsPerSecond);
            all[i] = CompletableFuture.runAsync(() -> {
                waitUntil(notBefore);
                sendAll(payment);
            }, senders);
        }
        return CompletableFuture.allOf(all);
    }

    private static void waitUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Sends one payment's IPNs on the caller's thread. */
    public void sendAll(PlannedPayment payment) {
        for (int i = 0; i < payment.statuses().size(); i++) {
            deliver(payment, i);
        }
    }

    private void deliver(PlannedPayment payment, int index) {
        byte[] body = payment.body(index);
        String signature = IpnSigner.sign(secret, body, SignatureForm.DEEP_SORTED);
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        while (System.nanoTime() < deadline) {
            String gateway = nextGateway();
            if (gateway != null && attempt(payment, index, body, signature, gateway)) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("IPN of payment " + payment.paymentId() + " not acknowledged within "
                + GIVE_UP_AFTER + "; " + ledger);
    }

    private boolean attempt(PlannedPayment payment, int index, byte[] body, String signature, String gateway) {
        ledger.attempted();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + IpnHandler.ROUTE))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(IpnHandler.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            ledger.answered(response.statusCode());
            if (response.statusCode() / 100 == 2) {
                ledger.acknowledged(payment, payment.statuses().get(index), gateway);
                return true;
            }
            if (response.statusCode() != 503) {
                ledger.unexpected(payment.paymentId() + " -> " + response.statusCode() + " " + response.body());
            }
            return false;
        } catch (IOException e) {
            ledger.connectionFailed();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String nextGateway() {
        List<String> urls = gateways.get();
        return urls.isEmpty() ? null : urls.get(Math.floorMod(turn.getAndIncrement(), urls.size()));
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
