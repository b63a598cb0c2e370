package io.ipnpipeline.ops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static Verdict of(PaymentStatus status, StatusWord word) {
        return Verdict.of(Optional.of(new Verdict.LedgerRow(1, status.wire(), Progress.rank(status, word), word.word())));
    }

    @Test
    void noRowIsMissing() {
        assertThat(Verdict.of(Optional.empty())).isEqualTo(Verdict.MISSING);
    }

    @Test
    void everyStatusFinishedMovesForwardFromIsBehind() {
        for (PaymentStatus status : new PaymentStatus[] {PaymentStatus.WAITING, PaymentStatus.CONFIRMING,
                PaymentStatus.CONFIRMED, PaymentStatus.SENDING, PaymentStatus.PARTIALLY_PAID}) {
            for (StatusWord word : new StatusWord[] {StatusWord.PROCESSING, StatusWord.AWAITING_MAPPING,
                    StatusWord.NEEDS_REVIEW}) {
                assertThat(of(status, word)).as("%s %s", status, word).isEqualTo(Verdict.BEHIND);
            }
        }
    }

    @Test
    void finishedPlacedOrParkedIsInSync() {
        assertThat(of(PaymentStatus.FINISHED, StatusWord.CONFIRMED)).isEqualTo(Verdict.IN_SYNC);
        assertThat(of(PaymentStatus.FINISHED, StatusWord.AWAITING_MAPPING)).isEqualTo(Verdict.IN_SYNC);
    }

    /** Found by review: a paid payment held in review was "in sync", and nothing ever moved it. */
    @Test
    void finishedInReviewIsReportedApartNotInjected() {
        assertThat(of(PaymentStatus.FINISHED, StatusWord.NEEDS_REVIEW)).isEqualTo(Verdict.IN_REVIEW);
    }

    @Test
    void aFinalOtherStatusIsAConflictNeverOverwritten() {
        assertThat(of(PaymentStatus.FAILED, StatusWord.FAILED)).isEqualTo(Verdict.CONFLICT);
        assertThat(of(PaymentStatus.EXPIRED, StatusWord.EXPIRED)).isEqualTo(Verdict.CONFLICT);
        assertThat(of(PaymentStatus.REFUNDED, StatusWord.REFUNDED)).isEqualTo(Verdict.CONFLICT);
    }
}
