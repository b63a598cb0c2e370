package io.ipnpipeline.contracts.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-written IPN bodies whose canonical bytes and signatures Node computed (see vectors.json). */
class SignatureVectorsTest {

    static Stream<JsonNode> vectors() {
        return StreamSupport.stream(NodeFixtures.read("vectors.json").get("vectors").spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorNames")
    void canonicalBytesEqualNodes(String name) throws Exception {
        JsonNode vector = vector(name);
        byte[] body = body(vector);
        for (SignatureForm form : SignatureForm.values()) {
            byte[] expected = Base64.getDecoder().decode(vector.get("canonical_utf8_base64").get(form.wire()).textValue());
            assertThat(new String(CanonicalJson.write(body, form), StandardCharsets.UTF_8))
                    .as(form.wire()).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(CanonicalJson.write(body, form)).as(form.wire()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorNames")
    void signaturesEqualNodes(String name) {
        JsonNode vector = vector(name);
        for (SignatureForm form : SignatureForm.values()) {
            assertThat(IpnSigner.sign(vector.get("secret").textValue(), body(vector), form))
                    .as(form.wire()).isEqualTo(vector.get("signature").get(form.wire()).textValue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorNames")
    void verifierAcceptsTheSignedFormAndReportsIt(String name) {
        JsonNode vector = vector(name);
        IpnSignatureVerifier verifier = new IpnSignatureVerifier(
                List.of(new IpnSecret("current", vector.get("secret").textValue())));
        SignatureForm signedForm = SignatureForm.fromWire(vector.get("signed_form").textValue()).orElseThrow();

        assertThat(verifier.verify(body(vector), vector.get("header").textValue()))
                .contains(new SignatureMatch("current", signedForm));
    }

    @Test
    void prettyPrintedAndKeyShuffledBodiesShareOneSignature() {
        List<String> headers = vectors()
                .filter(v -> v.get("name").textValue().startsWith("finished-ipn-with-nested-fee-"))
                .map(v -> v.get("header").textValue())
                .toList();
        assertThat(headers).hasSize(3);
        assertThat(headers).containsOnly(headers.get(0));
    }

    @Test
    void theReplacerVectorDiffersFromTheDeepSortedForm() {
        JsonNode vector = vector("replacer-signed-ipn-with-fee");
        assertThat(vector.get("canonical").get("top-level-replacer").textValue()).contains("\"fee\":{}");
        assertThat(vector.get("signature").get("deep-sorted").textValue())
                .isNotEqualTo(vector.get("header").textValue());
    }

    static Stream<String> vectorNames() {
        return vectors().map(v -> v.get("name").textValue());
    }

    private static JsonNode vector(String name) {
        return vectors().filter(v -> v.get("name").textValue().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] body(JsonNode vector) {
        return vector.get("body").textValue().getBytes(StandardCharsets.UTF_8);
    }
}
