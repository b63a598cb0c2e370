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
        return samples;
    }

    @Test
    void theFastPathTakesWhatTheSerdeWritesAndAgreesWithIt() {
        for (EnrichedPayment sample : samples()) {
            byte[] bytes = SERDE.write(sample);
            EnrichedPayment fast = EnrichedPaymentSerde.fast(bytes);
            assertThat(fast).as("fast path for %s", new String(bytes, StandardCharsets.UTF_8)).isNotNull()
                    .isEqualTo(SERDE.read(bytes)).isEqualTo(sample);
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
