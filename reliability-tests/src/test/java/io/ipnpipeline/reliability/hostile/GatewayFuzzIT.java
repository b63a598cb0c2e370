package io.ipnpipeline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.signature.CanonicalJson;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.signature.UnreadableBodyException;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile bodies against the real gateway over HTTP: never a 5xx, never a dropped connection, and a 200 only for
 * a JSON object with a numeric payment_id and a valid signature. At the end, ipn.raw holds exactly the bodies
 * that got a 200, byte for byte.
 */
class GatewayFuzzIT {

    private static StandaloneGateway gateway;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<byte[]> ACCEPTED = new CopyOnWriteArrayList<>();

    /** How the attacker signs. */
    enum Signing { NONE, GARBAGE, OTHER_SECRET, VALID }

    @BeforeContainer
    static void startGateway() {
        gateway = StandaloneGateway.start("gateway-fuzz", Map.of());
    }

    @AfterContainer
    static void checkWhatWasStoredAndStop() {
        if (gateway == null) {
            return;
        }
        try {
            List<byte[]> stored = gateway.stored().stream().map(record -> record.value()).toList();
            assertThat(stored).as("ipn.raw holds exactly the accepted bodies").hasSameSizeAs(ACCEPTED);
            for (byte[] body : stored) {
                assertThat(ACCEPTED).anyMatch(accepted -> Arrays.equals(accepted, body));
            }
        } finally {
            gateway.close();
        }
    }

    @Property(tries = 250)
    void hostileBodiesGetAClearAnswerAndOnlyAuthenticOnesAre200(@ForAll("hostile") byte[] body,
            @ForAll Signing signing) throws Exception {
        Optional<String> signature = signature(body, signing);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + IpnHandler.ROUTE))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signature.ifPresent(value -> request.header(IpnHandler.SIGNATURE_HEADER, value));

        int status = send(request.build());

        assertThat(status).as("never a 5xx").isLessThan(500);
        boolean authentic = signing == Signing.VALID && signature.isPresent();
        if (status == 200) {
            assertThat(authentic).as("200 only with a valid signature").isTrue();
            assertThat(IpnParser.paymentId(CanonicalJson.parse(body))).as("200 only with a payment_id").isPresent();
            ACCEPTED.add(body);
        } else {
            assertThat(status).isIn(400, 401, 413);
        }
        if (authentic && body.length <= 65_536 && IpnParser.paymentId(CanonicalJson.parse(body)).isPresent()) {
            assertThat(status).as("an authentic, readable IPN is accepted").isEqualTo(200);
        }
    }

    private static int send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Optional<String> signature(byte[] body, Signing signing) {
        return switch (signing) {
            case NONE -> Optional.empty();
            case GARBAGE -> Optional.of("deadbeef".repeat(16));
            case OTHER_SECRET -> signed("not-" + StandaloneGateway.SECRET, body);
            case VALID -> signed(StandaloneGateway.SECRET, body);
        };
    }

    private static Optional<String> signed(String secret, byte[] body) {
        try {
            CanonicalJson.parse(body);
            return Optional.of(IpnSigner.sign(secret, body, SignatureForm.DEEP_SORTED));
        } catch (UnreadableBodyException | IllegalArgumentException unsignable) {
            return Optional.empty();
        }
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        return Arbitraries.oneOf(HostileBodies.any(), HostileBodies.corruptedIpn());
    }
}
