package io.ipnpipeline.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.payment.EnrichedPaymentSerde;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.sink.fixtures.PaymentBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnrichedPaymentReaderTest {

    private static final JsonSerde<EnrichedPayment> SERDE = new JsonSerde<>(EnrichedPayment.class);

    private static List<EnrichedPayment> samples() {
        List<EnrichedPayment> samples = new ArrayList<>();
        for (PaymentStatus status : PaymentStatus.values()) {
            samples.add(PaymentBuilder.payment(4479119533L).status(status).build());
            samples.add(PaymentBuilder.payment(7L).status(status).awaitingMapping().build());
            samples.add(PaymentBuilder.payment(8L).status(status).needsReview("tier \"unknown\"\n\\ price").build());
        }
        samples.add(PaymentBuilder.payment(Long.MAX_VALUE).user(Long.MIN_VALUE).days(Integer.MAX_VALUE)
                .outcomeAmount("123456789012345678901234567890.000000000000000001").build());
        for (String raw : RAW_IPNS) {
            samples.add(PaymentBuilder.payment(11L).rawIpn(raw).build());
        }
        return samples;
    }

    /** Raw IPN texts around the reader's own string decoding: escapes of every kind, non-ASCII, edges. */
    private static final List<String> RAW_IPNS = List.of(
            "",
            "x",
            "\"",
            "\\",
            "{\"payment_id\":5,\"note\":\"a \\\"quoted\\\" \\\\ word\"}",
            "\"\"\"\\\\\\/\b\f\n\r\t",
            "{\r\n  \"pretty\": true,\n\t\"end\": \"/\"\r\n}\n",
            "controls \u0000 \u0001 \u001f \u007f end",
            "latin-1 \u00e9 \u00ff and beyond \u0100 \u20ac",
            "non-ASCII é ü ß € 日本 \uD83D\uDE00",
            "é",
            "{\"a\":\"" + "\\\"".repeat(5_000) + "\"}");

    @Test
    void theFastPathTakesWhatTheSerdeWritesAndAgreesWithIt() {
        for (EnrichedPayment sample : samples()) {
            byte[] bytes = SERDE.write(sample);
            EnrichedPayment fast = EnrichedPaymentSerde.fast(bytes);
            assertThat(fast).as("fast path for %s", new String(bytes, StandardCharsets.UTF_8)).isNotNull()
                    .isEqualTo(SERDE.read(bytes)).isEqualTo(sample);
            EnrichedPayment canonical = EnrichedPaymentSerde.canonical(bytes);
            if (isAscii(bytes)) {
                assertThat(canonical).as("canonical path for %s", new String(bytes, StandardCharsets.UTF_8))
                        .isNotNull().isEqualTo(sample);
            } else {
                assertThat(canonical).isIn(null, sample);
            }
        }
    }

    /** Shapes the serde reads differently from the canonical form: the reader must give the serde's answer. */
    @ParameterizedTest
    @ValueSource(strings = {
        "payment_id=\"42\"",            // number as string: Jackson coerces
        "user_id=42.0",                   // float as long
        "tier_index=4294967296",          // out of int range: Jackson refuses
        "subscription_days=\"30\"",
        "price_amount=2.5",               // decimal as a JSON number
        "price_amount=\" 2.5\"",
        "price_amount=\"\"",
        "nowpayments_created_at=\"2026-01-01T10:00:00+02:00\"",
        "nowpayments_created_at=1767261600",
        "payout_strategy=\" INSTANT \"",
        "payout_strategy=\"sometimes\"",
        "status=\"finished\"",          // wire word instead of the enum name
        "status=null",
        "payment_id=null",
        "order_id=12",
        "pay_address=[\"a\"]",
    })
    void anyOtherShapeGetsExactlyTheSerdesAnswer(String override) throws Exception {
        String field = override.substring(0, override.indexOf('='));
        String value = override.substring(override.indexOf('=') + 1);
        ObjectNode node = (ObjectNode) Json.mapper().readTree(SERDE.write(PaymentBuilder.payment(99L).build()));
        node.set(field, Json.mapper().readTree(value));
        assertSameAnswer(Json.mapper().writeValueAsBytes(node));
    }

    @Test
    void aRepeatedFieldGetsTheSerdesAnswer() {
        String canonical = new String(SERDE.write(PaymentBuilder.payment(99L).build()), StandardCharsets.UTF_8);
        assertSameAnswer(("{\"payment_id\":1," + canonical.substring(1)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * raw_ipn spelled in ways the mapper never writes, valid or not, anywhere in the object: the reader must give
     * the serde's record or the serde's error.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"\\u00e9\\u00E9\\u0041\\u00ff\"",          // Latin-1 unicode escapes, either case
        "\"\\u0100\\u20AC\\uD83D\\uDE00\"",          // beyond Latin-1, a surrogate pair
        "\"lone \\uD800 surrogate\"",
        "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        "\"bad hex \\u00G9\"",
        "\"short hex \\u00e\"",
        "\"ends in an escape \\u00",
        "\"ends in a backslash \\",
        "\"unknown escape \\x41\"",
        "\"escaped apostrophe \\'\"",
        "\"raw\ttab\"",
        "\"raw\nnewline\"",
        "\"raw \u0001 control\"",
        "\"raw \u007f delete\"",
        "\"unterminated",
        "\"é raw UTF-8 \u00e9\"",
        "\"\\u00e9 then raw UTF-8 é\"",
        "\"ok\"   \r\n\t}",
        "\"ok\"}trailing garbage",
        "\"ok\"}}",
        "\"ok\" }, \"x\": 1}",
        "\"ok\"  ,\"payment_id\":2}",
        "\"ok\" x}",
        "\"ok\"",
        "\"ok\",",
        "42",
        "null",
        "{\"nested\":\"x\"}}",
    })
    void aHandWrittenRawIpnGetsTheSerdesAnswer(String rawAndRest) {
        String canonical = new String(SERDE.write(PaymentBuilder.payment(12L).build()), StandardCharsets.UTF_8);
        String head = canonical.substring(0, canonical.indexOf("\"raw_ipn\":") + "\"raw_ipn\":".length());
        String rest = rawAndRest.endsWith("}") || rawAndRest.endsWith("garbage") ? "" : "}";
        assertSameAnswer((head + rawAndRest + rest).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rawIpnBeforeOtherFieldsGetsTheSerdesAnswer() throws Exception {
        for (String raw : RAW_IPNS) {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(SERDE.write(PaymentBuilder.payment(13L).build()));
            ObjectNode reordered = Json.mapper().createObjectNode();
            reordered.put("raw_ipn", raw);
            node.remove("raw_ipn");
            reordered.setAll(node);
            byte[] bytes = Json.mapper().writeValueAsBytes(reordered);
            assertThat(EnrichedPaymentSerde.fast(bytes)).as("fast path for %s", raw).isNotNull()
                    .isEqualTo(SERDE.read(bytes));
        }
    }

    /** Every special at every position of the words the reader scans eight bytes at a time, and at the end. */
    @Test
    void aSpecialAnywhereInTheRawIpnGetsTheSerdesAnswer() {
        String[] specials = {"\"", "\\", "\n", "\t", "\u0001", "\u001f", "\u007f", "é", "€", "\uD83D\uDE00", " ",
            "!"};
        for (String special : specials) {
            for (int before = 0; before < 18; before++) {
                for (int after : new int[] {0, 1, 7, 8, 9}) {
                    String raw = "a".repeat(before) + special + "b".repeat(after) + special;
                    byte[] bytes = SERDE.write(PaymentBuilder.payment(14L).rawIpn(raw).build());
                    assertThat(EnrichedPaymentSerde.fast(bytes)).as("fast path for %s", raw).isNotNull()
                            .isEqualTo(SERDE.read(bytes));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "{", "{\"payment_id\":", "not json", "{\"payment_id\":1}"})
    void brokenInputGetsTheSerdesAnswer(String text) {
        assertSameAnswer(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unknownFieldsAreIgnoredAsByTheSerde() {
        String canonical = new String(SERDE.write(PaymentBuilder.payment(5L).build()), StandardCharsets.UTF_8);
        byte[] bytes = ("{\"future\":{\"nested\":[1,{\"x\":null}]},\"progress_rank\":7," + canonical.substring(1))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(EnrichedPaymentSerde.fast(bytes)).isNotNull().isEqualTo(SERDE.read(bytes));
    }

    /**
     * One value of the writer's layout spelled differently, as raw JSON text (valid or not): the reader, whose
     * canonical path parses numbers and strings itself, must give the serde's record or the serde's error.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "payment_id=0", "payment_id=-0", "payment_id=-", "payment_id=01", "payment_id=-01", "payment_id=1.0",
        "payment_id=1e3", "payment_id=1E3", "payment_id=123456789012345678", "payment_id=-123456789012345678",
        "payment_id=1234567890123456789", "payment_id=9223372036854775807", "payment_id=9223372036854775808",
        "payment_id=-9223372036854775808", "payment_id=-9223372036854775809", "payment_id= 1", "payment_id=1 ",
        "payment_id=+1", "payment_id=0x10", "payment_id=NaN", "payment_id=", "payment_id=true",
        "user_id=null", "user_id=nul", "user_id=NULL", "user_id=nullx", "user_id=\"1\"",
        "tier_index=0", "tier_index=2147483647", "tier_index=2147483648", "tier_index=-2147483648",
        "tier_index=-2147483649", "tier_index=9999999999", "subscription_days=-0",
        "status=\"FINI\\u0053HED\"", "status=\"finished\"", "status=\"FINISHED \"", "status=\"\"",
        "status_word=\"CONFIRMED\"", "status_word=\"confirmed\"", "payout_strategy=\"instant\"",
        "payout_strategy=\"INSTANT\"", "payout_strategy=\"\\u0069nstant\"",
        "subscription_price=\"2.50\"", "subscription_price=\"2.5e3\"", "subscription_price=\"-0\"",
        "subscription_price=\"\\u0032.5\"", "subscription_price=\"2,5\"", "subscription_price=2.5",
        "nowpayments_created_at=\"2025-11-07T11:48:27Z\"", "nowpayments_created_at=\"2025-11-07T11:48:27.1Z\"",
        "nowpayments_created_at=\"2025-11-07 11:48:27Z\"", "received_at=\"+2025-11-07T11:48:27Z\"",
        "order_id=\"\"", "order_id=\"PGP-\\u00e9\"", "order_id=\"PGP-é\"", "order_id=\"PGP-\\u20ac\"",
        "order_id=\"a\\\"b\"", "order_id=\"tab\there\"", "order_id=\"open", "order_id=12",
        "review_reason=\"x\\ny\"", "pay_address=\"\\/\"",
    })
    void aValueSpelledDifferentlyGetsTheSerdesAnswer(String override) {
        String field = override.substring(0, override.indexOf('='));
        String value = override.substring(override.indexOf('=') + 1);
        String canonical = new String(SERDE.write(PaymentBuilder.payment(99L).build()), StandardCharsets.UTF_8);
        String name = "\"" + field + "\":";
        int start = canonical.indexOf(name) + name.length();
        int end = canonical.indexOf(",\"", start);
        assertSameAnswer((canonical.substring(0, start) + value + canonical.substring(end))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The layout itself varied: whitespace, order, extra or missing fields, what follows the object. */
    @ParameterizedTest
    @ValueSource(strings = {
        " {", "{ ", ",\"status\": ", "\"status\"", ":\"", "}", "}x", "} ", "}\n{", "}}",
    })
    void aLayoutVariationGetsTheSerdesAnswer(String variation) {
        String canonical = new String(SERDE.write(PaymentBuilder.payment(15L).build()), StandardCharsets.UTF_8);
        List<String> variants = List.of(
                canonical.replaceFirst(java.util.regex.Pattern.quote(variation.trim().isEmpty() ? "{" : variation),
                        java.util.regex.Matcher.quoteReplacement(variation)),
                variation.startsWith("}") ? canonical.substring(0, canonical.length() - 1) + variation : canonical,
                canonical.replace(",\"status\":\"FINISHED\"", "") ,
                canonical.replace(",\"user_id\":", ",\"future\":1,\"user_id\":"),
                canonical.replace(",\"status\":\"FINISHED\",\"status_word\":\"CONFIRMED\"",
                        ",\"status_word\":\"CONFIRMED\",\"status\":\"FINISHED\""),
                canonical.replace(",\"status\":", ", \"status\":"),
                canonical.replace(",\"status\":", ",\"status\" :"),
                canonical.replace(",\"status\":", ",\"stat\\u0075s\":"),
                canonical.replace(",\"raw_ipn\":", ",\"raw_ipn\":null,\"raw_ipn\":"),
                canonical.substring(0, canonical.length() - 1));
        for (String variant : variants) {
            assertSameAnswer(variant.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static void assertSameAnswer(byte[] bytes) {
        EnrichedPayment expected;
        try {
            expected = SERDE.read(bytes);
        } catch (SerializationException e) {
            assertThatThrownBy(() -> EnrichedPaymentSerde.read(bytes)).isInstanceOf(SerializationException.class)
                    .hasMessage(e.getMessage());
            return;
        }
        assertThat(EnrichedPaymentSerde.read(bytes)).isEqualTo(expected);
    }
}
