package io.ipnpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.reliability.hostile.StandaloneGateway;
import io.ipnpipeline.support.config.Secret;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPN_ALLOWED_SOURCES: off by default; when set, a correctly signed IPN from any other address gets 403, is
 * counted, and is not stored; a source inside the list goes on to the usual checks. X-Forwarded-For is ignored.
 */
class SourceAllowListIT {

    private final IpnSender sender = new IpnSender();
    private final byte[] body = IpnBodyBuilder.incidentPayment().paymentId(4_400_000_001L).toBytes();

    @Test
    void aSourceOutsideTheListIsRefusedCountedAndNotStored() throws Exception {
        try (StandaloneGateway gateway = StandaloneGateway.start("allow-list-deny",
                Map.of("IPN_ALLOWED_SOURCES", "144.76.201.30, 51.75.77.0/24"))) {
            IpnSender.Response response = send(gateway);

            assertThat(response.status()).as(response.body()).isEqualTo(403);
            // a header anyone can send does not make a source allowed
            assertThat(sendForwardedFor(gateway, "144.76.201.30")).isEqualTo(403);
            assertThat(gateway.counter("gateway.ipn.source.rejected")).isEqualTo(2.0);
            assertThat(gateway.stored()).isEmpty();
        }
    }

    @Test
    void aSourceInsideTheListAndTheDefaultAreAccepted() throws Exception {
        try (StandaloneGateway listed = StandaloneGateway.start("allow-list-allow",
                Map.of("IPN_ALLOWED_SOURCES", "144.76.201.30, 127.0.0.0/8"));
                StandaloneGateway unlisted = StandaloneGateway.start("allow-list-off", Map.of())) {
            assertThat(send(listed).status()).isEqualTo(200);
            assertThat(send(unlisted).status()).isEqualTo(200);
            assertThat(listed.stored()).hasSize(1);
            assertThat(listed.counter("gateway.ipn.source.rejected")).isZero();
        }
    }

    private int sendForwardedFor(StandaloneGateway gateway, String address) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(IpnSender.ipnUrl(gateway.url()))
                .header(IpnHandler.SIGNATURE_HEADER, IpnSigner.sign(StandaloneGateway.SECRET, body,
                        SignatureForm.DEEP_SORTED))
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private IpnSender.Response send(StandaloneGateway gateway) throws Exception {
        return sender.send(IpnSender.ipnUrl(gateway.url()), body, new Secret(StandaloneGateway.SECRET));
    }
}
