package io.ipnpipeline.sink.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NulFreeTest {

    @Test
    void textWithoutNulIsReturnedAsItIs() {
        String value = "eth \\u0000 as letters";
        assertThat(NulFree.text(value)).isSameAs(value);
        assertThat(NulFree.json("{\"a\":\"b\"}")).isEqualTo("{\"a\":\"b\"}");
    }

    @Test
    void eachNulCharacterBecomesTheReplacementCharacter() {
        assertThat(NulFree.text("\0eth\0\0")).isEqualTo("\uFFFDeth\uFFFD\uFFFD");
    }

    @Test
    void eachEscapedNulInJsonBecomesAnEscapedReplacementCharacter() {
        assertThat(NulFree.json("{\"d\":\"\\u000030 days\\u0000\",\"e\":\"\\u0000\"}"))
                .isEqualTo("{\"d\":\"\\uFFFD30 days\\uFFFD\",\"e\":\"\\uFFFD\"}");
    }

    @Test
    void anEscapedBackslashBeforeTheLettersIsTextAndStays() {
        // JSON "\\u0000" is a backslash and five letters; JSON "\\\u0000" is a backslash and a NUL
        assertThat(NulFree.json("[\"\\\\u0000\",\"\\\\\\u0000\",\"\\\"\\u0000\"]"))
                .isEqualTo("[\"\\\\u0000\",\"\\\\\\uFFFD\",\"\\\"\\uFFFD\"]");
    }

    @Test
    void otherEscapesAndAStrayTrailingBackslashAreCopied() {
        assertThat(NulFree.json("[\"\\u0001\\n\\u0000\"]\\")).isEqualTo("[\"\\u0001\\n\\uFFFD\"]\\");
    }
}
