package io.ipnpipeline.contracts.signature;

import static io.ipnpipeline.contracts.signature.SignatureForm.DEEP_SORTED;
import static io.ipnpipeline.contracts.signature.SignatureForm.TOP_LEVEL_REPLACER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"b\":1,\"a\":{\"d\":[{\"y\":1,\"x\":2}],\"c\":2.50}}|{\"a\":{\"c\":2.5,\"d\":[{\"x\":2,\"y\":1}]},\"b\":1}",
            "{\"b\":\"a/b\",\"10\":1,\"9\":2}|{\"9\":2,\"10\":1,\"b\":\"a/b\"}",
            "{\"s\":\"\\u00e9\\u0001\\u007f\\ud800\"}|{\"s\":\"é\\u0001\u007f\\ud800\"}",
            "[3,{\"b\":null,\"a\":true}]|[3,{\"a\":true,\"b\":null}]",
            "  1.0E-7 |1e-7",
    })
    void deepSortedWritesWhatJavaScriptWrites(String body, String expected) throws Exception {
        assertThat(text(CanonicalJson.write(bytes(body), DEEP_SORTED))).isEqualTo(expected);
    }

    @Test
    void replacerFormFiltersEveryDepthByTopLevelKeysInStringOrder() throws Exception {
        String body = "{\"fee\":{\"currency\":\"btc\",\"fee\":1},\"9\":[{\"9\":1,\"x\":2}],\"10\":0}";
        assertThat(text(CanonicalJson.write(bytes(body), TOP_LEVEL_REPLACER)))
                .isEqualTo("{\"10\":0,\"9\":[{\"9\":1}],\"fee\":{\"fee\":1}}");
    }

    @Test
    void parseRejectsWithAStableReasonThatNeverEchoesTheBody() {
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"secret-ish\": nope}")))
                .isInstanceOf(UnreadableBodyException.class).hasMessage("not JSON");
        assertThatThrownBy(() -> CanonicalJson.parse(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}))
                .hasMessage("not UTF-8"); // an overlong '/' must not slip through
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("[".repeat(CanonicalJson.MAX_DEPTH + 1)
                + "]".repeat(CanonicalJson.MAX_DEPTH + 1)))).hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"a\":-1.2E4151218592}")))
                .hasMessage("number out of range"); // found by the single-byte-change property
        assertThatThrownBy(() -> CanonicalJson.parse(new byte[0])).hasMessage("empty body");
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("   "))).hasMessage("not JSON");
    }

    @Test
    void writeRejectsTreesTooDeepForTheParser() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode node = root;
        for (int i = 0; i < CanonicalJson.MAX_DEPTH + 5; i++) {
            node = node.putObject("n");
        }
        assertThatThrownBy(() -> CanonicalJson.write(root, DEEP_SORTED)).hasMessage("nested too deeply");
    }

    @Test
    void arrayIndexKeysAreTheCanonicalOnes() {
        assertThat(CanonicalJson.arrayIndex("0")).isZero();
        assertThat(CanonicalJson.arrayIndex("4294967294")).isEqualTo(4294967294L);
        assertThat(CanonicalJson.arrayIndex("4294967295")).isEqualTo(-1);
        assertThat(CanonicalJson.arrayIndex("01")).isEqualTo(-1);
        assertThat(CanonicalJson.arrayIndex("-1")).isEqualTo(-1);
        assertThat(CanonicalJson.arrayIndex("")).isEqualTo(-1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
