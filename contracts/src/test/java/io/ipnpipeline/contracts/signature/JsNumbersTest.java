package io.ipnpipeline.contracts.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsNumbersTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "15.0, 15",
            "2.50, 2.5",
            "1e-7, 1e-7",
            "3.3e-7, 3.3e-7",
            "0.000001, 0.000001",
            "0.00000123, 0.00000123",
            "1e21, 1e+21",
            "1e20, 100000000000000000000",
            "-0.0, 0",
            "0.1, 0.1",
            "0.30000000000000004, 0.30000000000000004",
            "12345678901234567890, 12345678901234567000",
            "9007199254740993, 9007199254740992",
            "5e-324, 5e-324",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "-2.5e-8, -2.5e-8",
            "123e-20, 1.23e-18",
            "2e23, 2e+23",
            "144115188075855872, 144115188075855870",
    })
    void printsAsJavaScriptDoes(double value, String expected) {
        assertThat(JsNumbers.format(value)).isEqualTo(expected);
    }

    @Test
    void nonFiniteNumbersPrintAsNull() {
        assertThat(JsNumbers.format(Double.POSITIVE_INFINITY)).isEqualTo("null");
        assertThat(JsNumbers.format(Double.NaN)).isEqualTo("null");
    }

    /** Powers of two, random bit patterns and decimal-looking amounts, each as Node's JSON.stringify prints it. */
    @Test
    void matchesNodeForEveryGeneratedDouble() {
        JsonNode cases = NodeFixtures.read("numbers.json").get("cases");
        assertThat(cases.size()).isGreaterThan(5000);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode pair : cases) {
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(pair.get(0).textValue(), 16));
            String actual = JsNumbers.format(value);
            if (!actual.equals(pair.get(1).textValue())) {
                mismatches.add(pair.get(0).textValue() + ": node " + pair.get(1).textValue() + ", java " + actual);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /**
     * The decimal path (what a parsed body feeds in) against Node, from several spellings of each double:
     * Node's own shortest form, Java's Double.toString (sometimes one digit longer), the exact binary value
     * (up to 767 digits), and the shortest form padded with zeros or with a 15th/16th digit changed.
     */
    @Test
    void decimalPathMatchesNodeForEverySpelling() {
        JsonNode cases = NodeFixtures.read("numbers.json").get("cases");
        List<String> mismatches = new ArrayList<>();
        for (JsonNode pair : cases) {
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(pair.get(0).textValue(), 16));
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            String node = pair.get(1).textValue();
            BigDecimal shortest = new BigDecimal(node);
            for (BigDecimal spelling : List.of(shortest, new BigDecimal(Double.toString(value)), new BigDecimal(value),
                    shortest.setScale(shortest.scale() + 3), shortest.negate())) {
                String expected = JsNumbers.format(spelling.doubleValue());
                String actual = JsNumbers.format(spelling);
                if (!actual.equals(expected)) {
                    mismatches.add(spelling + ": exact path " + expected + ", decimal path " + actual);
                }
            }
            if (!JsNumbers.format(shortest).equals(node)) {
                mismatches.add(node + ": decimal path " + JsNumbers.format(shortest));
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "0.00076967, 0.00076967",
            "2.50, 2.5",
            "-0.000, 0",
            "1E+2, 100",
            "123456789012345, 123456789012345",
            "0.1234567890123456789, 0.12345678901234568",
            "1e-7, 1e-7",
            "1e21, 1e+21",
            "1e-310, 1e-310",
            "4.9e-324, 5e-324",
    })
    void decimalPathPrintsAsJavaScriptDoes(String decimal, String expected) {
        assertThat(JsNumbers.format(new BigDecimal(decimal))).isEqualTo(expected);
    }
}
