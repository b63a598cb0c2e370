package io.ipnpipeline.contracts.ipn;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming fast path answers exactly as the tree path, which defines the rules, or leaves it to the tree. */
class StreamingIpnReaderTest {

    private static final String BASE = "\"payment_id\":5,\"payment_status\":\"waiting\"";

    private static void agrees(byte[] body) {
        assertThat(IpnParser.parse(body)).as(new String(body, StandardCharsets.UTF_8))
                .isEqualTo(IpnParser.parseTree(body));
    }

    private static void answersLikeTheTree(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        IpnParser.Result fast = StreamingIpnReader.read(bytes);
        assertThat(fast).as(body).isNotNull().isEqualTo(IpnParser.parseTree(bytes));
    }

    @Test
    void ordinaryBodiesTakeTheFastPathWithTheTreesValues() {
        answersLikeTheTree(IpnBodyBuilder.incidentPayment().toJson());
        answersLikeTheTree(IpnBodyBuilder.incidentPayment().with("fee", Map.of("currency", "eth",
                "depositFee", new BigDecimal("0.10"), "list", List.of(1, 2.50, "x"))).toJson());
        answersLikeTheTree(IpnBodyBuilder.incidentPayment().without("created_at").with("parent_payment_id", null)
                .with("purchase_id", "123").toJson());
    }

    /** Scales matter: the tree strips a float's trailing zeros (2.50 is 2.5, 100.0 is 1E+2), a string's are kept. */
    @ParameterizedTest
    @ValueSource(strings = {"2.50", "100.0", "1e2", "1E-5", "0.0", "-0.0", "0", "-0", "12345678901234567890123",
            "\"2.50\"", "\" 7.10 \"", "\"1e3\"", "\"abc\"", "null", "-1.5", "0.1000000000000000055511151231257827"})
    void amountsAreReadAsTheTreeReadsThem(String amount) {
        answersLikeTheTree("{" + BASE + ",\"price_amount\":" + amount + ",\"outcome_amount\":" + amount + "}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "\"7\"", "7.0", "7.5", "1e2", "9223372036854775807", "9223372036854775808",
            "\"12345678901234567890\"", "\"0x1\"", "\"\"", "-3", "0", "null"})
    void idsAreReadAsTheTreeReadsThem(String id) {
        agrees(("{\"payment_id\":" + id + ",\"payment_status\":\"finished\",\"invoice_id\":" + id
                + ",\"parent_payment_id\":" + id + "}").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "42", "\"x\"", "{", "{\"payment_id\":1", "not json", "{} trailing",
            "{\"payment_id\":1,\"payment_status\":\"FINISHED\"} {\"x\":",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"price_amount\":1e99999999999}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"extra\":{\"deep\":[1e99999999999]}}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"order_id\":123}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"order_id\":{\"a\":1}}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"pay_amount\":true}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"pay_amount\":[1]}",
            "{\"payment_id\":1,\"payment_status\":7}",
            "{\"payment_id\":1,\"payment_status\":\"nope\"}",
            "{\"payment_status\":\"finished\"}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"payment_id\":2}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"pay_amount\":\"x\",\"pay_amount\":3}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"price_amount\":\"x\",\"pay_amount\":\"y\"}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"created_at\":12,\"updated_at\":\"yesterday\"}",
            "{\"payment_id\":1,\"payment_status\":\"finished\",\"created_at\":\"2025-11-07T11:48:27Z\"}"})
    void unusualBodiesGetTheTreesAnswer(String body) {
        agrees(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Random field mixes: every answer of the public parser is the tree's. */
    @Test
    void randomBodiesAgree() {
        RandomIpnBodies.of(42, 3000, null, 0, -1, 7, 7.0, 2.50, new BigDecimal("100.00"), "2.50", "abc", "", " 12 ",
                true, List.of(1), Map.of("a", 1.5), "2025-11-07T11:48:27.355Z", "waiting", "FINISHED",
                Long.MAX_VALUE, new BigDecimal("1e-30")).forEach(StreamingIpnReaderTest::agrees);
    }
}
