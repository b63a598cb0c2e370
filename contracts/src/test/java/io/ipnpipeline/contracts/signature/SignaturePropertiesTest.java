package io.ipnpipeline.contracts.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariants of canonicalisation and verification over random JSON objects generated in Java (the byte-exact
 * comparison with Node lives in {@link NodeRandomCanonicalTest}).
 */
class SignaturePropertiesTest {

    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final String SECRET = "property-secret";
    private static final IpnSignatureVerifier VERIFIER =
            new IpnSignatureVerifier(List.of(new IpnSecret("current", SECRET)));

    @Property(tries = 300)
    void keyOrderAndWhitespaceDoNotChangeTheCanonicalBytes(@ForAll("objects") ObjectNode tree, @ForAll long seed)
            throws Exception {
        byte[] compact = WRITER.writeValueAsBytes(tree);
        byte[] reshuffled = WRITER.writerWithDefaultPrettyPrinter().writeValueAsBytes(shuffled(tree, new Random(seed)));

        for (SignatureForm form : SignatureForm.values()) {
            assertThat(CanonicalJson.write(reshuffled, form)).isEqualTo(CanonicalJson.write(compact, form));
        }
        assertThat(VERIFIER.verify(reshuffled, IpnSigner.sign(SECRET, compact, SignatureForm.DEEP_SORTED)))
                .contains(new SignatureMatch("current", SignatureForm.DEEP_SORTED));
    }

    /** JSON.stringify(JSON.parse(canonical)) is the canonical text again: nothing is lost or reformatted. */
    @Property(tries = 300)
    void canonicalBytesAreAFixedPoint(@ForAll("objects") ObjectNode tree) throws Exception {
        byte[] canonical = CanonicalJson.write(WRITER.writeValueAsBytes(tree), SignatureForm.DEEP_SORTED);
        assertThat(CanonicalJson.write(canonical, SignatureForm.DEEP_SORTED)).isEqualTo(canonical);
    }

    /**
     * A single changed byte verifies with the old signature only if the signed meaning is unchanged: the form
     * that matched must serialise the changed body to exactly the bytes that were signed.
     */
    @Property(tries = 1000)
    void aSingleByteChangeVerifiesOnlyIfTheSignedBytesAreUnchanged(
            @ForAll("objects") ObjectNode tree, @ForAll("mutations") Tuple.Tuple2<Integer, Byte> mutation)
            throws Exception {
        byte[] body = WRITER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        byte[] signed = CanonicalJson.write(body, SignatureForm.DEEP_SORTED);
        String signature = IpnSigner.sign(SECRET, body, SignatureForm.DEEP_SORTED);
        byte[] changed = body.clone();
        int index = mutation.get1() % changed.length;
        if (changed[index] == mutation.get2()) {
            changed[index] ^= 0x01;
        } else {
            changed[index] = mutation.get2();
        }

        Optional<SignatureMatch> match = VERIFIER.verify(changed, signature);
        Statistics.coverage(coverage -> { // the property must exercise every branch, or it proves nothing
            coverage.check("accepted: same meaning").count(count -> count > 0);
            coverage.check("rejected: meaning changed").count(count -> count > 0);
        });

        byte[] changedCanonical = canonicalOrNull(changed, match.map(SignatureMatch::form).orElse(SignatureForm.DEEP_SORTED));
        if (match.isPresent()) {
            assertThat(changedCanonical).isEqualTo(signed);
            Statistics.collect("accepted: same meaning");
        } else {
            Statistics.collect(changedCanonical == null ? "rejected: unreadable"
                    : Arrays.equals(changedCanonical, signed) ? "rejected?!" : "rejected: meaning changed");
            assertThat(changedCanonical == null || !Arrays.equals(changedCanonical, signed))
                    .as("a body with the signed canonical bytes must verify").isTrue();
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, Byte>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.oneOf(Arbitraries.of((byte) ' ', (byte) '\n', (byte) '\t', (byte) '"', (byte) '\\',
                        (byte) '0', (byte) '1', (byte) '9', (byte) '-', (byte) '.', (byte) 'e', (byte) 'E',
                        (byte) 'a', (byte) 'z'), Arbitraries.bytes())).as(Tuple::of);
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        return object(3).filter(node -> node.size() > 0);
    }

    private Arbitrary<ObjectNode> object(int depth) {
        Arbitrary<String> keys = Arbitraries.oneOf(strings(), Arbitraries.of("0", "9", "10", "42", "01", "-1",
                "fee", "payment_id", "a", "B", "é", "\u65e5"));
        return Arbitraries.maps(keys, value(depth)).ofMaxSize(depth == 3 ? 8 : 4).map(SignaturePropertiesTest::toObject);
    }

    private Arbitrary<JsonNode> value(int depth) {
        List<Arbitrary<? extends JsonNode>> choices = new ArrayList<>(List.of(
                strings().map(JsonNodeFactory.instance::textNode),
                Arbitraries.doubles().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.bigDecimals().ofScale(8).between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
                        .map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.booleanNode(true),
                        JsonNodeFactory.instance.booleanNode(false))));
        if (depth > 0) {
            choices.add(Arbitraries.lazy(() -> object(depth - 1)));
            choices.add(Arbitraries.lazy(() -> value(depth - 1).list().ofMaxSize(3).map(SignaturePropertiesTest::toArray)));
        }
        return Arbitraries.oneOf(choices);
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.strings().withCharRange('\u0000', '\u007f').withCharRange('\u0080', '\ud7ff')
                .withCharRange('\ue000', '\ufffd').ofMaxLength(8);
    }

    private static ObjectNode toObject(Map<String, JsonNode> entries) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.setAll(entries);
        return node;
    }

    private static ArrayNode toArray(List<JsonNode> items) {
        return JsonNodeFactory.instance.arrayNode().addAll(items);
    }

    private static JsonNode shuffled(JsonNode node, Random random) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.shuffle(names, random);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                copy.set(name, shuffled(node.get(name), random));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(shuffled(item, random)));
            return copy;
        }
        return node;
    }

    private static byte[] canonicalOrNull(byte[] body, SignatureForm form) {
        try {
            return CanonicalJson.write(body, form);
        } catch (UnreadableBodyException e) {
            return null;
        }
    }
}
