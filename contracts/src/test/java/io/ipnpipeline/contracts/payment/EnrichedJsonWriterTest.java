package io.ipnpipeline.contracts.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.StatusWord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The direct writer gives the contracts' mapper's bytes, and leaves only non-ASCII text to Jackson. */
class EnrichedJsonWriterTest {

    private static final String EVERY_ASCII_CHAR = IntStream.range(0, 128)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

    static Stream<EnrichedPayment> asciiPayments() {
        return Stream.of(
                payment("{\"payment_id\":1,\"note\":\"a \\\"quoted\\\" \\\\ word\"}", Instant.EPOCH, null),
                payment(EVERY_ASCII_CHAR, Instant.parse("2025-06-01T12:00:00.123456789Z"), new BigDecimal("1E-9")),
                payment("{}", Instant.parse("9999-12-31T23:59:59.999Z"), new BigDecimal("-0.000")),
                payment("", Instant.parse("1969-12-31T23:59:59.5Z"), new BigDecimal("12345678901234567890.12")),
                payment("\u007f\u001f", Instant.parse("+10000-01-01T00:00:00Z"), BigDecimal.TEN.pow(30)));
    }

    @ParameterizedTest
    @MethodSource("asciiPayments")
    void asciiRecordsAreWrittenDirectlyAsTheMapperWritesThem(EnrichedPayment payment) throws Exception {
        byte[] direct = EnrichedJsonWriter.write(payment);
        assertThat(direct).isNotNull();
        assertThat(new String(direct, StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.mapper().writeValueAsBytes(payment), StandardCharsets.UTF_8));
    }

    /** Integers are written digit by digit: every length, both signs and both extremes. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 1, -1, 9, 10, -10, 99, 100, 123_456_789,
        -1_003_253_338_212L, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
        Integer.MAX_VALUE, Integer.MIN_VALUE})
    void integersAreWrittenAsTheMapperWritesThem(long value) throws Exception {
        int small = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
        EnrichedPayment payment = new EnrichedPayment(value, PaymentStatus.WAITING,
                StatusWord.forPlaced(PaymentStatus.WAITING), null, "o", value, value, value, small, small, null, null,
                null, null, null, null, value, value, null, null, null, null, null, null, null, null, null, null,
                Instant.EPOCH, "{}");
        assertThat(new String(EnrichedJsonWriter.write(payment), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.mapper().writeValueAsBytes(payment), StandardCharsets.UTF_8));
    }

    /** Found by review: 1e-7 from NOWPayments reached payments.enriched as "1E-7". */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1e-7", "1E+3", "2.50", "-0.000", "1e-60",
        "123456789012345678901234567890", "0.000000000000000000000000000000000000000000000000000000000001"})
    void decimalsAreWrittenPlainAsTheMapperWritesThem(String amount) throws Exception {
        EnrichedPayment payment = payment("{}", Instant.EPOCH, new BigDecimal(amount));
        String direct = new String(EnrichedJsonWriter.write(payment), StandardCharsets.UTF_8);
        assertThat(direct).isEqualTo(new String(Json.mapper().writeValueAsBytes(payment), StandardCharsets.UTF_8))
                .contains("\"price_amount\":\"" + new BigDecimal(amount).toPlainString() + "\"")
                .doesNotContain("E-", "E+");
    }

    /**
     * Plain form spells out the scale: 1E-1000000 would be a million zeros. IPN amounts never come near (AmountRange
     * rejects a scale over 60 or more than 30 integer digits, so at most some 90 digits) and the processor reads a
     * mapping with such a price as absent; should one still get here, the writer leaves it to the mapper, which
     * refuses any scale beyond +-9999 instead of writing it.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1e-1000000", "1E+1000000", "1e-10000"})
    void anExtremeScaleIsNeverSpelledOut(String amount) {
        EnrichedPayment payment = payment("{}", Instant.EPOCH, new BigDecimal(amount));
        assertThat(EnrichedJsonWriter.write(payment)).isNull();
        assertThatThrownBy(() -> Json.mapper().writeValueAsBytes(payment)).hasMessageContaining("illegal scale");
    }

    @Test
    void theLargestScaleJacksonWritesPlainIsWrittenAsItWrites() throws Exception {
        EnrichedPayment payment = payment("{}", Instant.EPOCH, new BigDecimal("1e-9999"));
        assertThat(EnrichedJsonWriter.write(payment)).isEqualTo(Json.mapper().writeValueAsBytes(payment));
    }

    @Test
    void nonAsciiTextIsLeftToJacksonAndStillWrittenExactly() throws Exception {
        EnrichedPayment payment = payment("caf\u00e9 \ud83d\ude00 \u2028", Instant.EPOCH, BigDecimal.ONE);
        assertThat(EnrichedJsonWriter.write(payment)).isNull();
        assertThat(EnrichedPaymentSerde.write(payment)).isEqualTo(Json.mapper().writeValueAsBytes(payment));
    }

    private static EnrichedPayment payment(String text, Instant instant, BigDecimal amount) {
        return new EnrichedPayment(Long.MAX_VALUE, PaymentStatus.FINISHED, StatusWord.forPlaced(PaymentStatus.FINISHED),
                text, text, 1L, -2L, null, 3, Integer.MIN_VALUE, amount, text, null, "trx",
                PayoutStrategy.THRESHOLD, amount, null, 5L, text, amount, "usd", amount, null, text, amount, text,
                instant, null, instant, text);
    }
}
