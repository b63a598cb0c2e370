package io.ipnpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.order.OrderIdParser;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.payment.EnrichedPaymentSerde;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.processor.testdata.MappingBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-written payments.enriched writer: the contracts' mapper's exact bytes, read back by the contracts' serde. */
class EnrichedPaymentSerdeTest {

    private static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00.123456789Z");

    static Stream<EnrichedPayment> payments() {
        Ipn incident = ipn(IpnBodyBuilder.incidentPayment());
        Ipn odd = ipn(IpnBodyBuilder.incidentPayment().paymentId(9).status(PaymentStatus.PARTIALLY_PAID)
                .priceAmount("100.00").outcomeAmount("1E-9").with("pay_address", "quote\" back\\slash \u00e9 \u2028 \u0001")
                .with("parent_payment_id", 7).with("created_at", null).with("actually_paid", "0.50")
                .with("fee", List.of(1, 2)));
        Ipn oddPlaced = ipn(IpnBodyBuilder.incidentPayment().priceAmount("5.000").with("invoice_id", null)
                .with("pay_currency", "\ud83d\ude00"));
        OrderId order = ((OrderIdParser.Parsed) OrderIdParser.parse(incident.orderId())).orderId();
        return Stream.of(
                Enrichment.place(incident, RECEIVED, order, MappingBuilder.aMapping().build()),
                Enrichment.place(oddPlaced, RECEIVED, order,
                        MappingBuilder.aMapping().strategy(PayoutStrategy.THRESHOLD).build()),
                Enrichment.place(odd, RECEIVED, order, MappingBuilder.aMapping().build()),
                Enrichment.awaitingMapping(incident, Instant.EPOCH, order),
                Enrichment.heldForReview(odd, RECEIVED, order, MappingBuilder.aMapping().build(),
                        Enrichment.NO_TIER),
                Enrichment.needsReview(incident, RECEIVED, "order id \"PGP-x\" is not a number"));
    }

    private static Ipn ipn(IpnBodyBuilder body) {
        return ((IpnParser.Parsed) IpnParser.parse(body.toBytes())).ipn();
    }

    @ParameterizedTest
    @MethodSource("payments")
    void writesTheMappersBytes(EnrichedPayment payment) throws Exception {
        // as bytes, the way the contracts' JsonSerde wrote them (a String writer would not escape surrogates)
        assertThat(new String(EnrichedPaymentSerde.write(payment), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.mapper().writeValueAsBytes(payment), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("payments")
    void theContractsReaderReadsItBack(EnrichedPayment payment) {
        EnrichedPayment read = new JsonSerde<>(EnrichedPayment.class).read(EnrichedPaymentSerde.write(payment));
        // decimals are written plain, so 1E+2 comes back as 100: the same amount, with the scale its text has
        assertThat(read).usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .isEqualTo(payment);
        assertThat(read.subscriptionPrice()).isEqualTo(payment.subscriptionPrice());
        assertThat(read.priceAmount()).isEqualTo(payment.priceAmount() == null ? null
                : new BigDecimal(payment.priceAmount().toPlainString()));
    }
}
