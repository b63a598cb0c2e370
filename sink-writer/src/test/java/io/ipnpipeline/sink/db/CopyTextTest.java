package io.ipnpipeline.sink.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CopyTextTest {

    static Stream<Arguments> specials() {
        return Stream.of(
                arguments("", ""),
                arguments("plain text 123", "plain text 123"),
                arguments("a\\b", "a\\\\b"),
                arguments("a\tb", "a\\tb"),
                arguments("a\nb", "a\\nb"),
                arguments("a\rb", "a\\rb"),
                arguments("\\", "\\\\"),
                arguments("\t", "\\t"),
                arguments("\nstart", "\\nstart"),
                arguments("end\r", "end\\r"),
                arguments("\\\\\t\t\n\n\r\r", "\\\\\\\\\\t\\t\\n\\n\\r\\r"),
                arguments("{\"a\":\"x\\\"y\"}\r\n", "{\"a\":\"x\\\\\"y\"}\\r\\n"));
    }

    @ParameterizedTest
    @MethodSource("specials")
    void escapesEachOfTheFourSpecialsWhereverTheyAre(String value, String expected) {
        assertThat(escaped(value)).isEqualTo(expected);
    }

    @Test
    void leavesEveryOtherCharacterAsItIs() {
        String others = "\u0000\u0001\u000b\u000c\u001f\u007f é ü ß € 日本 \uD83D\uDE00 N \"'|,;";
        assertThat(escaped(others)).isEqualTo(others);
        assertThat(escaped("é\tü\n€\\\uD83D\uDE00")).isEqualTo("é\\tü\\n€\\\\\uD83D\uDE00");
    }

    @Test
    void appendsAfterWhatIsAlreadyThere() {
        StringBuilder out = new StringBuilder("1\t");
        CopyText.appendEscaped(out, "x\ty");
        CopyText.appendEscaped(out, "plain");
        assertThat(out).hasToString("1\tx\\typlain");
    }

    /** Random mixes of specials, ASCII and non-ASCII against the one-character-at-a-time definition. */
    @Test
    void agreesWithTheCharacterByCharacterDefinition() {
        char[] alphabet = {'a', 'Z', '0', ' ', '"', '\\', '\t', '\n', '\r', '\u0000', '\u00e9', '\u20ac', '\uD83D',
            '\uDE00'};
        Random random = new Random(20261129);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                value.append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertThat(escaped(value.toString())).as("escaping %s", value).isEqualTo(reference(value.toString()));
        }
    }

    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        CopyText.appendEscaped(out, value);
        return out.toString();
    }

    private static String reference(String value) {
        StringBuilder out = new StringBuilder();
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
