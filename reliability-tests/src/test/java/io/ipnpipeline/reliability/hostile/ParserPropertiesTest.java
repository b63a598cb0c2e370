package io.ipnpipeline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.signature.CanonicalJson;
import io.ipnpipeline.contracts.signature.IpnSecret;
import io.ipnpipeline.contracts.signature.IpnSignatureVerifier;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.signature.UnreadableBodyException;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The gateway's pure functions on hostile bodies: the canonicaliser either reads a body or says it cannot
 * (UnreadableBodyException, never another exception, never a stack overflow), the verifier never accepts a
 * signature it did not compute, and the processor's parser never throws.
 */
class ParserPropertiesTest {

    private static final String SECRET = "hostile-secret";
    private static final IpnSignatureVerifier VERIFIER =
            new IpnSignatureVerifier(List.of(new IpnSecret("current", SECRET)));

    @Property(tries = 400)
    void canonicalisingAHostileBodyReadsItOrRefusesIt(@ForAll("hostile") byte[] body) {
        try {
            JsonNode root = CanonicalJson.parse(body);
            for (SignatureForm form : SignatureForm.values()) {
                assertThat(CanonicalJson.write(root, form)).isNotNull();
            }
        } catch (UnreadableBodyException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 400)
    void noSignatureVerifiesUnlessMadeWithTheSecret(@ForAll("hostile") byte[] body, @ForAll("signatures") String guess,
            @ForAll("otherSecrets") String otherSecret) {
        assertThat(VERIFIER.verify(body, guess)).isEmpty();
        String forged = signedOrNull(otherSecret, body);
        if (forged != null) {
            assertThat(VERIFIER.verify(body, forged)).isEmpty();
        }
    }

    @Property(tries = 300)
    void aSignatureForOneBodyDoesNotVerifyAnotherUnlessBothMeanTheSame(@ForAll("hostile") byte[] signed,
            @ForAll("hostile") byte[] sent) throws Exception {
        String signature = signedOrNull(SECRET, signed);
        if (signature == null || VERIFIER.verify(sent, signature).isEmpty()) {
            return;
        }
        // only acceptable if the canonical form the signature covers is the same
        SignatureForm form = VERIFIER.verify(sent, signature).orElseThrow().form();
        assertThat(CanonicalJson.write(sent, form)).isEqualTo(CanonicalJson.write(signed, form));
    }

    @Property(tries = 400)
    void theProcessorsParserNeverThrows(@ForAll("hostile") byte[] body) {
        assertThat(IpnParser.parse(body)).isNotNull();
    }

    private static String signedOrNull(String secret, byte[] body) {
        try {
            return IpnSigner.sign(secret, body, SignatureForm.DEEP_SORTED);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        return HostileBodies.any();
    }

    @Provide
    Arbitrary<String> signatures() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(64).map(HexFormat.of()::formatHex),
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.of("", " ", "0".repeat(128), "sha512=", "null"));
    }

    @Provide
    Arbitrary<String> otherSecrets() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40).filter(s -> !s.strip().equals(SECRET));
    }
}
