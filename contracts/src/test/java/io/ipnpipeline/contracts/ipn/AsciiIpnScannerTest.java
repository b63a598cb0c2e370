package io.ipnpipeline.contracts.ipn;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte scanner reads ordinary IPNs itself, exactly as the Jackson pass does, and gives up on anything else. */
class AsciiIpnScannerTest {

    private static final String BASE = "\"payment_id\":5,\"payment_status\":\"waiting\"";

    private static boolean scans(String body) {
        return AsciiIpnScanner.scan(body.getBytes(StandardCharsets.UTF_8), new Object[StreamingIpnReader.FIELDS]);
    }

    /** Read by the scanner, and with Jackson's answer (which the tree path's parity tests hold to the tree). */
    private static void scannedLikeJackson(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(AsciiIpnScanner.scan(body, new Object[StreamingIpnReader.FIELDS])).as(text).isTrue();
        assertThat(StreamingIpnReader.read(body)).as(text).isEqualTo(StreamingIpnReader.readWithJackson(body))
                .isEqualTo(IpnParser.parseTree(body));
    }

    @Test
    void ordinaryBodiesAreScanned() {
        scannedLikeJackson(IpnBodyBuilder.incidentPayment().toBytes());
        scannedLikeJackson(IpnBodyBuilder.incidentPayment().with("fee", Map.of("currency", "eth",
                "depositFee", new BigDecimal("0.10"), "list", List.of(1, 2.50, "x", true, false))).toBytes());
        scannedLikeJackson(IpnBodyBuilder.incidentPayment().without("created_at").with("parent_payment_id", null)
                .with("purchase_id", "123").with("extra", List.of()).with("more", Map.of()).toBytes());
        scannedLikeJackson((" \n{ \"payment_id\" : 5 ,\t\"payment_status\" : \"finished\" , \"x\" : [ 1 , { } ] }"
                + " \r\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.50", "100.0", "1e2", "1E-5", "2.5E+3", "0.0", "-0.0", "0", "-0", "-1.5",
            "12345678901234567890123", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "\"2.50\"", "\" 7.10 \"", "\"abc\"", "\"\"", "null", "0.1000000000000000055511151231257827"})
    void numbersAndTextAreReadAsJacksonReadsThem(String value) {
        scannedLikeJackson(("{" + BASE + ",\"price_amount\":" + value + ",\"invoice_id\":" + value
                + ",\"pay_address\":" + (value.startsWith("\"") ? value : "\"a\"") + ",\"unknown\":" + value + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "[]", "{", "{}x", "{} {}", "\uFEFF{" + BASE + "}",
        "{" + BASE + ",}", "{," + BASE + "}", "{" + BASE + " \"x\":1}",
        "{" + BASE + ",\"x\":\"a\\\"b\"}", "{" + BASE + ",\"x\":\"caf\u00e9\"}", "{" + BASE + ",\"x\":\"a\tb\"}",
        "{" + BASE + ",\"x\":01}", "{" + BASE + ",\"x\":1.}", "{" + BASE + ",\"x\":.5}", "{" + BASE + ",\"x\":-}",
        "{" + BASE + ",\"x\":+1}", "{" + BASE + ",\"x\":1e}", "{" + BASE + ",\"x\":1e99999999999}",
        "{" + BASE + ",\"x\":0x10}", "{" + BASE + ",\"x\":NaN}", "{" + BASE + ",\"x\":tru}",
        "{" + BASE + ",\"x\":nullx}", "{" + BASE + ",\"x\":[1,]}", "{" + BASE + ",\"x\":{\"a\"}}",
        "{" + BASE + ",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "{" + BASE + ",\"pay_amount\":true}", "{" + BASE + ",\"order_id\":{\"a\":1}}",
        "{" + BASE + ",\"pay_amount\":[1]}", "{\"payment_id\":1,\"payment_status\":\"finished\"",
        "{\"payment_\\u0069d\":1,\"payment_status\":\"finished\"}"})
    void givesUpOnAnythingOutsideThePlainForm(String body) {
        assertThat(scans(body)).as(body).isFalse();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(IpnParser.parse(bytes)).as(body).isEqualTo(IpnParser.parseTree(bytes));
    }

    @Test
    void longNumbersAndBigBodiesAreLeftToJackson() {
        assertThat(scans("{" + BASE + ",\"x\":" + "1".repeat(101) + "}")).isFalse();
        assertThat(scans("{" + BASE + ",\"x\":\"" + "a".repeat(20_000) + "\"}")).isFalse();
    }

    /** Random field mixes of plain bodies: the scanner takes every one and answers as Jackson does. */
    @Test
    void randomPlainBodiesAreScannedLikeJackson() {
        int scanned = 0;
        for (byte[] bytes : RandomIpnBodies.of(7, 3000, null, 0, -1, 7, 7.0, 2.50, new BigDecimal("100.00"),
                "2.50", "abc", "", " 12 ", "2025-11-07T11:48:27.355Z", "waiting", "FINISHED", Long.MAX_VALUE,
                new BigDecimal("1e-30"), Map.of("a", List.of(1.5, "b", Map.of())), new BigDecimal("-0.000"))) {
            Object[] slots = new Object[StreamingIpnReader.FIELDS];
            if (AsciiIpnScanner.scan(bytes, slots)) {
                scanned++;
                assertThat(StreamingIpnReader.read(bytes)).isEqualTo(StreamingIpnReader.readWithJackson(bytes));
            }
            assertThat(IpnParser.parse(bytes)).isEqualTo(IpnParser.parseTree(bytes));
        }
        // Jackson's stand-in for a map in a kept field makes a few bodies unusual; the rest are plain
        assertThat(scanned).isGreaterThan(2000);
    }
}
