package io.ipnpipeline.processor.topology;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.processor.testdata.MappingBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Steps 5 and 6: the tier from price_amount, and everything the sink needs on the output record. */
class TierStepTest {

    @TempDir
    Path stateDir;
    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(stateDir);
        harness.map(aMapping().strategy(PayoutStrategy.THRESHOLD));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @ParameterizedTest(name = "{0} USD -> tier {1}, {2} days")
    @CsvSource({"2.50, 1, 30", "2.5, 1, 30", "2.499999, 1, 30", "5, 2, 90", "9.99, 3, 365"})
    void thePriceSelectsTheTierToTheCent(String price, int tier, int days) {
        harness.send(anIpn().priceAmount(price));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.tierIndex()).isEqualTo(tier);
        assertThat(payment.subscriptionDays()).isEqualTo(days);
        assertThat(payment.isPlaced()).isTrue();
    }

    @ParameterizedTest(name = "{0} USD")
    @CsvSource({"2.49", "2.51", "0", "100"})
    void aPriceMatchingNoTierGoesOnAsNeedsReview(String price) {
        harness.send(anIpn().priceAmount(price));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason()).isEqualTo("price matches no tier");
        assertThat(payment.subscriptionDays()).isNull();
        assertThat(payment.isPlaced()).isFalse();
        // the status API finds the payment by these two: without them the customer would see "pending"
        assertThat(payment.userId()).isEqualTo(IpnBuilder.USER);
        assertThat(payment.openChannelId()).isEqualTo(MappingBuilder.CHANNEL);
        // and the sink shows needs_review on the customer's existing subscription row by this one
        assertThat(payment.privateChannelId()).isEqualTo(MappingBuilder.PRIVATE_CHANNEL);
    }

    /** Found by reliability-tests' HostilePipelineIT: a negative outcome_amount was placed and paid out. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"price_amount, -2.50", "outcome_amount, -0.00061819", "pay_amount, -1", "actually_paid, -0.5"})
    void aNegativeAmountGoesToReviewAndIsNeverPlaced(String field, String amount) {
        harness.send(anIpn().status("finished").rawField(field, amount));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason()).isEqualTo("negative amount");
        assertThat(payment.isPlaced()).isFalse();
    }

    /** Two offers at one price: the price cannot say whether the customer chose 30 or 90 days. */
    @Test
    void aPriceOfTwoTiersWithDifferentDaysGoesOnAsNeedsReview() {
        harness.map(aMapping().tier(1, "5.00", 30).tier(2, "5.00", 90));

        harness.send(anIpn().priceAmount("5.00"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason()).isEqualTo("price matches several tiers");
        assertThat(payment.subscriptionDays()).isNull();
        assertThat(payment.isPlaced()).isFalse();
        assertThat(payment.privateChannelId()).isEqualTo(MappingBuilder.PRIVATE_CHANNEL);
    }

    @Test
    void twoTiersWithTheSamePriceAndDaysAreOneOffer() {
        harness.map(aMapping().tier(1, "5.00", 90).tier(2, "5", 90));

        harness.send(anIpn().priceAmount("5.00"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.isPlaced()).isTrue();
        assertThat(payment.subscriptionDays()).isEqualTo(90);
        assertThat(payment.tierIndex()).isEqualTo(1);
    }

    /** nowpayments-ipn.md: a second deposit to the same address is its own payment with parent_payment_id set. */
    @ParameterizedTest(name = "parent_payment_id {0}")
    @CsvSource({"4479119533", "\"4479119533\""})
    void aRepeatedDepositIsHeldForReviewAndNeverPlaced(String parent) {
        // the child carries the parent's order id and price, and NOWPayments may well finish it
        harness.send(anIpn().paymentId(4479119534L).status("finished").rawField("parent_payment_id", parent));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.paymentId()).isEqualTo(4479119534L);
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason()).isEqualTo("repeated deposit to payment 4479119533");
        assertThat(payment.isPlaced()).isFalse();
        assertThat(payment.subscriptionDays()).isNull();
        assertThat(payment.clientWalletAddress()).isNull();
        assertThat(payment.parentPaymentId()).isEqualTo(4479119533L);
        assertThat(harness.enriched.isEmpty()).isTrue();
    }

    @Test
    void aNullParentIsAnOrdinaryPayment() {
        harness.send(anIpn().status("finished").rawField("parent_payment_id", "null"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.isPlaced()).isTrue();
        assertThat(payment.parentPaymentId()).isNull();
    }

    /** The sink pays out outcome_amount in outcome_currency on the first placed finished record. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"no outcome_amount|outcome_amount|", "null outcome_amount|outcome_amount|null",
        "zero outcome_amount|outcome_amount|0", "no outcome_currency|outcome_currency|",
        "null outcome_currency|outcome_currency|null", "blank outcome_currency|outcome_currency|\" \""})
    void aFinishWithNothingToPayOutGoesToReview(String name, String field, String json) {
        IpnBuilder ipn = anIpn().status("finished");
        harness.send(json == null ? ipn.without(field) : ipn.rawField(field, json));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason())
                .isEqualTo("finished without a payout amount (outcome_amount, outcome_currency)");
        assertThat(payment.isPlaced()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"waiting", "confirming", "confirmed", "sending", "partially_paid"})
    void earlierStatusesArePlacedWithoutOutcome(String status) {
        harness.send(anIpn().status(status).without("outcome_amount").without("outcome_currency"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.isPlaced()).isTrue();
        assertThat(payment.reviewReason()).isNull();
    }

    /** A price no currency has would cost a division of its scale's digits on every tier match: not a mapping. */
    @Test
    void aMappingWithAPriceOutOfRangeReadsAsAbsent() {
        harness.map(aMapping().tier(1, "1E-100", 30));

        harness.send(anIpn().priceAmount("2.50"));

        assertThat(harness.enriched.readValue().statusWord()).isEqualTo(StatusWord.AWAITING_MAPPING);
    }

    @Test
    void aPriceInAnotherCurrencyIsNotMatchedAgainstUsdTiers() {
        harness.send(anIpn().priceAmount("2.50").priceCurrency("eur"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason()).isEqualTo("price_currency is not USD");
    }

    @Test
    void theOutputCarriesEverythingTheSinkNeeds() {
        harness.send(anIpn().paymentId(5077125051L).status("finished").rawField("purchase_id", "\"5837122679\""));

        var record = harness.enriched.readRecord();
        EnrichedPayment payment = record.value();
        assertThat(record.key()).isEqualTo("5077125051");
        assertThat(payment.status()).isEqualTo(PaymentStatus.FINISHED);
        assertThat(payment.statusWord()).isEqualTo(StatusWord.forPlaced(PaymentStatus.FINISHED));
        assertThat(payment.privateChannelId()).isEqualTo(MappingBuilder.PRIVATE_CHANNEL);
        assertThat(payment.subscriptionPrice()).isEqualByComparingTo("2.50");
        assertThat(payment.clientWalletAddress()).isEqualTo("TXYZwalletAddress0001");
        assertThat(payment.clientPayoutCurrency()).isEqualTo("usdt");
        assertThat(payment.clientPayoutNetwork()).isEqualTo("trx");
        assertThat(payment.payoutStrategy()).isEqualTo(PayoutStrategy.THRESHOLD);
        assertThat(payment.payoutThresholdUsd()).isEqualByComparingTo("50.00");
        assertThat(payment.outcomeAmount()).isEqualByComparingTo("0.00061819");
        assertThat(payment.outcomeCurrency()).isEqualTo("eth");
        assertThat(payment.actuallyPaid()).isEqualByComparingTo("0.00076967");
        assertThat(payment.invoiceId()).isEqualTo(4910826526L);
        assertThat(payment.nowpaymentsUpdatedAt()).isEqualTo(java.time.Instant.parse("2025-11-07T11:51:20.364Z"));
        assertThat(payment.rawIpn()).contains("\"purchase_id\":\"5837122679\"");
        assertThat(payment.receivedAt()).isEqualTo(TopologyHarness.RECEIVED_AT);
    }
}
