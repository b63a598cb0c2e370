package io.ipnpipeline.localstack.ipn;

import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Posts an IPN body to a gateway the way NOWPayments does: the bytes as given, signed with the IPN secret in
 * the {@code x-nowpayments-sig} header (the official SDK's deep-sorted form).
 */
public final class IpnSender {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The gateway's answer. */
    public record Response(int status, String body) {
        public boolean accepted() {
            return status / 100 == 2;
        }
    }

    public Response send(URI url, byte[] body, Secret secret) throws IOException, InterruptedException {
        return post(url, body, IpnSigner.sign(secret.reveal(), body, SignatureForm.DEEP_SORTED));
    }

    /** Sends with a signature of the caller's choosing, e.g. a wrong one to see the 401. */
    public Response post(URI url, byte[] body, String signature) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(IpnHandler.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.body());
    }

    /**
     * The secret NOWPayments signs with, from a configured {@code NOWPAYMENTS_IPN_SECRET} value: the gateway reads it
     * as a comma-separated list whose first entry is the current secret (GatewayConfig, through {@link Env#list}), so
     * signing with the whole string would never verify.
     */
    public static Secret signingSecret(String configured) {
        String name = "NOWPAYMENTS_IPN_SECRET";
        List<String> secrets = Env.of(Map.of(name, configured)).list(name);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("the IPN secret is empty");
        }
        return new Secret(secrets.get(0));
    }

    /** {@code <gateway>/ipn} for a gateway base URL such as {@code http://127.0.0.1:8080}. */
    public static URI ipnUrl(String gatewayUrl) {
        return URI.create(stripSlash(gatewayUrl) + IpnHandler.ROUTE);
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
