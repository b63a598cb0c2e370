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

    // lone surrogates: JSON.stringify writes them as escapes, PostgreSQL's jsonb refuses them (22P02)

    @Test
    void aLoneHighSurrogateEscapeBecomesAnEscapedReplacementCharacter() {
        assertThat(NulFree.json("{\"order_description\":\"Sub to \\ud83d\",\"n\":1}"))
                .isEqualTo("{\"order_description\":\"Sub to \\uFFFD\",\"n\":1}");
    }

    @Test
    void aLoneLowSurrogateEscapeBecomesAnEscapedReplacementCharacter() {
        assertThat(NulFree.json("[\"\\uDE00x\",\"a\\udfffb\"]")).isEqualTo("[\"\\uFFFDx\",\"a\\uFFFDb\"]");
    }

    @Test
    void twoHighSurrogateEscapesInARowBothBecomeReplacementsButAHighBeforeALowIsKept() {
        assertThat(NulFree.json("[\"\\ud83d\\ud83d\"]")).isEqualTo("[\"\\uFFFD\\uFFFD\"]");
        // the second high finds its low: one replacement, then the pair as it was
        assertThat(NulFree.json("[\"\\ud83d\\ud83d\\ude00\"]")).isEqualTo("[\"\\uFFFD\\ud83d\\ude00\"]");
    }

    @Test
    void aHighSurrogateEscapeAtTheEndOfTheTextBecomesAReplacement() {
        assertThat(NulFree.json("\"\\ud83d")).isEqualTo("\"\\uFFFD");
        assertThat(NulFree.json("\"\\ud83d\\")).isEqualTo("\"\\uFFFD\\");
        assertThat(NulFree.json("\"\\ud83d\\ude0")).isEqualTo("\"\\uFFFD\\ude0");
    }

    @Test
    void aValidSurrogatePairAndOtherEscapesAreStoredUnchanged() {
        String value = "{\"d\":\"Sub \\ud83d\\ude00 \\uD83D\\uDE00 \\u00e9 \\\\ud83d \\n\"}";
        assertThat(NulFree.json(value)).isSameAs(value);
    }

    @Test
    void anEscapedBackslashBeforeSurrogateLettersIsTextAndStays() {
        // JSON "\\ud83d" is a backslash and five letters; "\\\ud83d" is a backslash and a lone surrogate
        assertThat(NulFree.json("[\"\\\\ud83d\",\"\\\\\\ud83d\"]")).isEqualTo("[\"\\\\ud83d\",\"\\\\\\uFFFD\"]");
    }

    @Test
    void escapesWithNonAsciiDigitsAreNotEscapes() {
        String value = "[\"\\u\uFF10\uFF10\uFF10\uFF10\"]";
        assertThat(NulFree.json(value)).isSameAs(value);
    }

    @Test
    void loneSurrogateCharactersInTextBecomeReplacementCharacters() {
        assertThat(NulFree.text("a\uD83Db")).isEqualTo("a\uFFFDb");
        assertThat(NulFree.text("\uDE00a\uD83D")).isEqualTo("\uFFFDa\uFFFD");
        assertThat(NulFree.text("\uD83D\uD83D\uDE00\0")).isEqualTo("\uFFFD\uD83D\uDE00\uFFFD");
        String pair = "wallet \uD83D\uDE00 é";
        assertThat(NulFree.text(pair)).isSameAs(pair);
        // a raw lone character inside JSON text too, before its escapes are looked at
        assertThat(NulFree.json("[\"\uD83D\",\"\\ude00\"]")).isEqualTo("[\"\uFFFD\",\"\\uFFFD\"]");
    }
}
