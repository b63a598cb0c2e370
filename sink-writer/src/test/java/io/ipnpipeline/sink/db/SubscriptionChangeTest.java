package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.sink.batch.PlannedRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionChangeTest {

    @Test
    void twoRenewalsOfOneSubscriptionInOneBatchBothCount() {
        List<SubscriptionChange> changes = SubscriptionChange.from(List.of(
                finishedNow(payment(10).days(30).build()),
                finishedNow(payment(11).days(90).build())));

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.addDays()).isEqualTo(120);
            assertThat(change.payment().paymentId()).isEqualTo(11);
        });
    }

    @Test
    void anOlderPaymentsLateStatusDoesNotBecomeTheCarriedPayment() {
        List<SubscriptionChange> changes = SubscriptionChange.from(List.of(
                accepted(payment(11).status(PaymentStatus.WAITING).build()),
                accepted(payment(10).status(PaymentStatus.FAILED).build())));

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.payment().paymentId()).isEqualTo(11);
            assertThat(change.addDays()).isZero();
        });
    }

    @Test
    void aPaidPaymentIsCarriedBeforeANewerUnpaidOne() {
        List<SubscriptionChange> changes = SubscriptionChange.from(List.of(
                finishedNow(payment(10).build()),
                accepted(payment(11).status(PaymentStatus.WAITING).build())));

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.payment().paymentId()).isEqualTo(10);
            assertThat(change.addDays()).isEqualTo(30);
            assertThat(change.reviewOnly()).isFalse();
        });
    }

    @Test
    void ofChangesAtOneInstantThePaidPaymentShowsAndOnlyEndedUnpaidOnesAskTheLedger() {
        SubscriptionChange paidAndAbandoned = SubscriptionChange.from(List.of(
                accepted(payment(200).status(PaymentStatus.WAITING).build()),
                finishedNow(payment(100).build()))).get(0);
        assertThat(paidAndAbandoned.shown().paymentId()).isEqualTo(100);
        assertThat(paidAndAbandoned.needsLedger()).isFalse();

        SubscriptionChange expiredBesideRenewal = SubscriptionChange.from(List.of(
                accepted(payment(3).status(PaymentStatus.WAITING).build()),
                accepted(payment(2).status(PaymentStatus.EXPIRED).build()))).get(0);
        assertThat(expiredBesideRenewal.shown().paymentId()).isEqualTo(3);
        assertThat(expiredBesideRenewal.needsLedger()).isFalse();

        SubscriptionChange onlyExpired = SubscriptionChange.from(List.of(
                accepted(payment(2).status(PaymentStatus.WAITING).build()),
                accepted(payment(2).status(PaymentStatus.EXPIRED).build()))).get(0);
        assertThat(onlyExpired.shown().status()).isEqualTo(PaymentStatus.EXPIRED);
        assertThat(onlyExpired.needsLedger()).isTrue();
    }

    @Test
    void aPaymentHeldForReviewWithAKnownChannelOnlyChangesTheWord() {
        assertThat(SubscriptionChange.from(List.of(accepted(payment(1).heldForReview("no tier").build()))))
                .singleElement().satisfies(change -> {
                    assertThat(change.reviewOnly()).isTrue();
                    assertThat(change.addDays()).isZero();
                });
        assertThat(SubscriptionChange.from(List.of(accepted(payment(1).heldForReview("no tier").build()),
                accepted(payment(2).status(PaymentStatus.WAITING).build()))))
                .singleElement().satisfies(change -> assertThat(change.reviewOnly()).isFalse());
    }

    @Test
    void unplacedPaymentsHaveNoSubscriptionRow() {
        assertThat(SubscriptionChange.from(List.of(accepted(payment(1).awaitingMapping().build())))).isEmpty();
    }

    @Test
    void differentChannelsAreDifferentRows() {
        assertThat(SubscriptionChange.from(List.of(
                finishedNow(payment(1).build()),
                finishedNow(payment(2).privateChannel(-100L).build())))).hasSize(2);
    }

    private static AcceptedChange finishedNow(EnrichedPayment finished) {
        return new AcceptedChange(new PlannedRow(finished, finished), true);
    }

    private static AcceptedChange accepted(EnrichedPayment payment) {
        return new AcceptedChange(new PlannedRow(payment, null), false);
    }
}
