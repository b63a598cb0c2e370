package io.ipnpipeline.gateway.ipn;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.signature.IpnSecret;
import io.ipnpipeline.contracts.signature.IpnSignatureVerifier;
import io.ipnpipeline.gateway.config.GatewayConfig;
import java.util.Optional;

/**
 * The contracts {@link IpnSignatureVerifier} behind the gateway's {@link SignatureCheck}: every configured
 * secret, both signature forms, HMAC-SHA512 compared with the timing-safe {@code MessageDigest.isEqual}.
 */
public final class VerifierSignatureCheck implements SignatureCheck {

    private final IpnSignatureVerifier verifier;

    private VerifierSignatureCheck(IpnSignatureVerifier verifier) {
        this.verifier = verifier;
    }

    public static SignatureCheck fromConfig(GatewayConfig config) {
        return new VerifierSignatureCheck(new IpnSignatureVerifier(config.ipnSecrets().stream()
                .map(secret -> new IpnSecret(secret.name(), secret.secret().reveal()))
                .toList()));
    }

    @Override
    public Optional<Match> verify(JsonNode body, String signature) {
        return verifier.verify(body, signature)
                .map(match -> new Match(match.secretName(), match.form().wire()));
    }
}
