package io.ipnpipeline.contracts.signature;

import static io.ipnpipeline.contracts.signature.SignatureForm.DEEP_SORTED;
import static io.ipnpipeline.contracts.signature.SignatureForm.TOP_LEVEL_REPLACER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.serde.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpnSignatureVerifierTest {

    private static final String CURRENT = "current-ipn-secret-0123456789";
    private static final String PREVIOUS = "previous-ipn-secret-9876543210";

    private final IpnSignatureVerifier verifier = new IpnSignatureVerifier(List.of(
            new IpnSecret("current", CURRENT), new IpnSecret("previous", PREVIOUS)));
    private final byte[] body = IpnBody.finished().compact();
    private final String signature = IpnSigner.sign(CURRENT, body, DEEP_SORTED);

    @Test
    void acceptsTheCurrentSecretInTheDeepSortedForm() {
        assertThat(verifier.verify(body, signature)).contains(new SignatureMatch("current", DEEP_SORTED));
        assertThat(signature).matches("[0-9a-f]{128}");
    }

    @Test
    void acceptsAPrettyPrintedBodyWithTheSameSignature() {
        assertThat(verifier.verify(IpnBody.finished().pretty(), signature)).isPresent();
    }

    @Test
    void reportsThePreviousSecretWhenOnlyItMatches() {
        assertThat(verifier.verify(body, IpnSigner.sign(PREVIOUS, body, DEEP_SORTED)))
                .contains(new SignatureMatch("previous", DEEP_SORTED));
    }

    @Test
    void acceptsTheReplacerFormAndReportsIt() {
        assertThat(verifier.verify(body, IpnSigner.sign(PREVIOUS, body, TOP_LEVEL_REPLACER)))
                .contains(new SignatureMatch("previous", TOP_LEVEL_REPLACER));
    }

    @Test
    void reportsDeepSortedWhenBothFormsAreTheSameBytes() {
        byte[] flat = IpnBody.finished().without("fee").compact();
        assertThat(verifier.verify(flat, IpnSigner.sign(CURRENT, flat, TOP_LEVEL_REPLACER)))
                .contains(new SignatureMatch("current", DEEP_SORTED));
    }

    @Test
    void rejectsATamperedAmount() {
        byte[] tampered = IpnBody.finished().with("actually_paid", new BigDecimal("0.00041633")).compact();
        assertThat(verifier.verify(tampered, signature)).isEmpty();
    }

    @Test
    void rejectsATamperedStatus() {
        byte[] waitingSigned = IpnBody.finished().with("payment_status", "waiting").compact();
        String waitingSignature = IpnSigner.sign(CURRENT, waitingSigned, DEEP_SORTED);
        assertThat(verifier.verify(body, waitingSignature)).isEmpty();
    }

    @Test
    void rejectsATamperedNestedFeeInTheDeepSortedForm() {
        byte[] tampered = new String(body, StandardCharsets.UTF_8)
                .replace("\"currency\":\"btc\"", "\"currency\":\"eth\"").getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(body);
        assertThat(verifier.verify(tampered, signature)).isEmpty();
    }

    @Test
    void rejectsAWrongSecret() {
        assertThat(verifier.verify(body, IpnSigner.sign("some-other-secret", body, DEEP_SORTED))).isEmpty();
    }

    @Test
    void acceptsUpperCaseHex() {
        assertThat(verifier.verify(body, signature.toUpperCase(Locale.ROOT))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {" %s ", "\t%s\r\n", "\u00a0%s\ufeff"})
    void acceptsASignatureWithSurroundingWhitespace(String padding) {
        assertThat(verifier.verify(body, padding.formatted(signature))).isPresent();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "sha512=", "not-a-signature"})
    void rejectsAMissingOrShapelessSignature(String header) {
        assertThat(verifier.verify(body, header)).isEmpty();
    }

    @Test
    void rejectsTruncatedSignatures() {
        assertThat(verifier.verify(body, signature.substring(0, 127))).isEmpty();
        assertThat(verifier.verify(body, signature.substring(0, 64))).isEmpty();
        assertThat(verifier.verify(body, signature + "00")).isEmpty();
    }

    @Test
    void rejectsNonHexSignatures() {
        assertThat(verifier.verify(body, "g" + signature.substring(1))).isEmpty();
        assertThat(verifier.verify(body, signature.substring(0, 126) + " 0")).isEmpty();
        // Character.digit would read full-width digits as hex; a header is ASCII only
        assertThat(verifier.verify(body, "\uff10".repeat(128))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"payment_id\":1", "{} {}", "{'a':1}", "{\"a\":NaN}", "{\"a\":01}",
            "{\"a\":1e4151218592}", "{\"a\":\"\\ud800\\x\"}"})
    void anUnreadableBodyIsNoMatchNotAnException(String text) {
        assertThat(verifier.verify(text.getBytes(StandardCharsets.UTF_8), signature)).isEmpty();
    }

    @Test
    void aBodyThatIsNotUtf8OrTooDeepOrEmptyIsNoMatch() {
        assertThat(verifier.verify(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'}, signature))
                .isEmpty();
        assertThat(verifier.verify(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8), signature))
                .isEmpty();
        assertThat(verifier.verify(new byte[0], signature)).isEmpty();
        assertThat(verifier.verify((byte[]) null, signature)).isEmpty();
    }

    @Test
    void verifiesAnAlreadyParsedTreeSoTheGatewayParsesOnce() throws Exception {
        JsonNode tree = CanonicalJson.parse(body);
        assertThat(verifier.verify(tree, signature)).contains(new SignatureMatch("current", DEEP_SORTED));
        assertThat(IpnParser.paymentId(tree)).contains(5077125051L);
        // a tree read by the shared contracts mapper works too
        assertThat(verifier.verify(Json.mapper().readTree(body), signature)).isPresent();
        assertThat(verifier.verify((JsonNode) null, signature)).isEmpty();
    }

    @Test
    void theSecretIsTrimmedAsNowPaymentsDoes() {
        IpnSignatureVerifier padded = new IpnSignatureVerifier(List.of(new IpnSecret("current", "  " + CURRENT + "\n")));
        assertThat(padded.verify(body, signature)).isPresent();
        assertThat(IpnSigner.sign("\u00a0" + CURRENT + " ", body, DEEP_SORTED)).isEqualTo(signature);
    }

    @Test
    void secretsNeverAppearInTextOrErrors() {
        assertThat(verifier.toString()).contains("current", "previous").doesNotContain(CURRENT, PREVIOUS);
        assertThat(new IpnSecret("current", CURRENT).toString()).doesNotContain(CURRENT).contains("****");
        assertThatThrownBy(() -> new IpnSecret("current", " \n "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current");
        assertThatThrownBy(() -> new IpnSignatureVerifier(List.of(
                new IpnSecret("current", CURRENT), new IpnSecret("current", PREVIOUS))))
                .hasMessageNotContaining(CURRENT).hasMessageNotContaining(PREVIOUS);
        assertThatThrownBy(() -> new IpnSignatureVerifier(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isSafeToShareBetweenThreads() {
        List<byte[]> bodies = IntStream.range(0, 64)
                .mapToObj(i -> IpnBody.finished().with("payment_id", new BigDecimal(1000 + i)).compact())
                .toList();
        List<String> signatures = bodies.stream().map(b -> IpnSigner.sign(PREVIOUS, b, DEEP_SORTED)).toList();

        List<Optional<SignatureMatch>> results = IntStream.range(0, 4000).parallel()
                .mapToObj(i -> verifier.verify(bodies.get(i % 64), signatures.get(i % 64)))
                .toList();

        assertThat(results).allMatch(r -> r.equals(Optional.of(new SignatureMatch("previous", DEEP_SORTED))));
    }

    @Test
    void signatureFormWordsAreTheHeaderValues() {
        assertThat(DEEP_SORTED.wire()).isEqualTo("deep-sorted");
        assertThat(TOP_LEVEL_REPLACER.wire()).isEqualTo("top-level-replacer");
        assertThat(SignatureForm.fromWire("top-level-replacer")).contains(TOP_LEVEL_REPLACER);
        assertThat(SignatureForm.fromWire("other")).isEmpty();
    }
}
