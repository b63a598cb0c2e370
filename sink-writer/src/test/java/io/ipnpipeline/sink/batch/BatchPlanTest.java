package io.ipnpipeline.sink.batch;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

    private static final PaymentStatus CONFIRMING = PaymentStatus.CONFIRMING;
    private static final PaymentStatus FINISHED = PaymentStatus.FINISHED;

    @Test
    void aChainCollapsesToItsLastRecordAndKeepsTheFinishingOne() {
        EnrichedPayment confirming = payment(1).status(CONFIRMING).build();
        EnrichedPayment finished = payment(1).status(FINISHED).build();
        EnrichedPayment refunded = payment(1).status(PaymentStatus.REFUNDED).build();

        BatchPlan plan = BatchPlan.of(List.of(confirming, finished, refunded));

        assertThat(plan.waves()).hasSize(1);
        PlannedRow row = plan.waves().get(0).get(0);
        assertThat(row.latest()).isSameAs(refunded);
        assertThat(row.finishing()).isSameAs(finished);
    }

    @Test
    void confirmingThenFinishedStillCarriesTheFinish() {
        BatchPlan plan = BatchPlan.of(List.of(payment(1).status(CONFIRMING).build(), payment(1).build()));

        assertThat(plan.waves().get(0).get(0).finishing()).isNotNull();
    }

    @Test
    void anUnplacedFinishIsNotAFinish() {
        BatchPlan plan = BatchPlan.of(List.of(payment(1).awaitingMapping().build()));

        assertThat(plan.waves().get(0).get(0).finishing()).isNull();
    }

    @Test
    void repeatsKeepTheFirstCopy() {
        EnrichedPayment first = payment(1).outcomeAmount("1").build();
        List<EnrichedPayment> records = new ArrayList<>(List.of(first));
        for (int i = 0; i < 4; i++) {
            records.add(payment(1).outcomeAmount("2").build());
        }

        BatchPlan plan = BatchPlan.of(records);

        assertThat(plan.waves()).hasSize(1);
        assertThat(plan.waves().get(0)).singleElement().satisfies(row -> assertThat(row.latest()).isSameAs(first));
        assertThat(plan.recordCount()).isEqualTo(5);
    }

    @Test
    void aParkedThenReleasedPaymentIsAChain() {
        EnrichedPayment parked = payment(1).awaitingMapping().build();
        EnrichedPayment placed = payment(1).build();

        BatchPlan plan = BatchPlan.of(List.of(parked, placed));

        assertThat(plan.waves()).hasSize(1);
        assertThat(plan.waves().get(0).get(0).latest()).isSameAs(placed);
        assertThat(plan.waves().get(0).get(0).finishing()).isSameAs(placed);
    }

    @Test
    void aBackwardSequenceIsAppliedInWavesInOrder() {
        EnrichedPayment finished = payment(1).build();
        EnrichedPayment lateConfirming = payment(1).status(CONFIRMING).build();
        EnrichedPayment other = payment(2).build();

        BatchPlan plan = BatchPlan.of(List.of(finished, other, lateConfirming));

        assertThat(plan.waves()).hasSize(2);
        assertThat(plan.waves().get(0)).extracting(PlannedRow::latest).containsExactly(finished, other);
        assertThat(plan.waves().get(1)).extracting(PlannedRow::latest).containsExactly(lateConfirming);
        assertThat(plan.waves().get(1).get(0).finishing()).isNull();
    }

    @Test
    void eachWaveHoldsAPaymentAtMostOnce() {
        List<EnrichedPayment> records = new ArrayList<>();
        for (Combo combo : combos()) {
            records.add(combo.record(7));
            records.add(combo.record(8));
        }
        for (List<PlannedRow> wave : BatchPlan.of(records).waves()) {
            assertThat(wave).extracting(PlannedRow::paymentId).doesNotHaveDuplicates();
        }
    }

    // The plan's correctness rests on two properties of Progress.advances; check them on every combination.

    @Test
    void advancesIsTransitive() {
        List<Combo> all = combos();
        for (Combo a : all) {
            for (Combo b : all) {
                for (Combo c : all) {
                    if (a.advancesTo(b) && b.advancesTo(c)) {
                        assertThat(a.advancesTo(c)).as("%s -> %s -> %s", a, b, c).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theStatesThatRejectARecordOnlyGrowAsAPaymentMovesForward() {
        List<Combo> all = combos();
        for (Combo state : all) {
            for (Combo next : all) {
                if (!state.advancesTo(next)) {
                    continue;
                }
                for (Combo record : all) {
                    if (!state.advancesTo(record)) {
                        assertThat(next.advancesTo(record)).as("%s rejects %s but %s accepts it", state, record, next)
                                .isFalse();
                    }
                }
            }
        }
    }

    /** Every (status, phase) pair a ledger row can hold. */
    static List<Combo> combos() {
        List<Combo> combos = new ArrayList<>();
        for (PaymentStatus status : PaymentStatus.values()) {
            combos.add(new Combo(status, StatusWord.AWAITING_MAPPING));
            combos.add(new Combo(status, StatusWord.NEEDS_REVIEW));
            combos.add(new Combo(status, StatusWord.forPlaced(status)));
        }
        return combos;
    }

    record Combo(PaymentStatus status, StatusWord word) {

        int rank() {
            return Progress.rank(status, word);
        }

        boolean advancesTo(Combo other) {
            return Progress.advances(status, rank(), other.status, other.rank());
        }

        EnrichedPayment record(long paymentId) {
            var builder = payment(paymentId).status(status);
            if (word == StatusWord.AWAITING_MAPPING) {
                builder.awaitingMapping();
            } else if (word == StatusWord.NEEDS_REVIEW) {
                builder.needsReview("test");
            }
            return builder.build();
        }
    }
}
