package io.ipnpipeline.contracts.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void releaseFromParkingIsForwardAtTheSameStatus() {
        int parked = Progress.rank(PaymentStatus.FINISHED, StatusWord.AWAITING_MAPPING);
        int placed = Progress.rank(PaymentStatus.FINISHED, StatusWord.CONFIRMED);
        assertThat(Progress.advances(PaymentStatus.FINISHED, parked, PaymentStatus.FINISHED, placed)).isTrue();
        assertThat(Progress.advances(PaymentStatus.FINISHED, placed, PaymentStatus.FINISHED, parked)).isFalse();
    }

    @Test
    void anOlderStatusNeverWinsWhateverItsPhase() {
        int finishedParked = Progress.rank(PaymentStatus.FINISHED, StatusWord.AWAITING_MAPPING);
        int confirmingPlaced = Progress.rank(PaymentStatus.CONFIRMING, StatusWord.PROCESSING);
        assertThat(Progress.advances(PaymentStatus.FINISHED, finishedParked, PaymentStatus.CONFIRMING,
                confirmingPlaced)).isFalse();
    }

    @Test
    void finalStatusesStayFinalEvenWithAHigherRank() {
        int finished = Progress.rank(PaymentStatus.FINISHED, StatusWord.CONFIRMED);
        int failed = Progress.rank(PaymentStatus.FAILED, StatusWord.FAILED);
        assertThat(failed).isGreaterThan(finished);
        assertThat(Progress.advances(PaymentStatus.FINISHED, finished, PaymentStatus.FAILED, failed)).isFalse();
        int refunded = Progress.rank(PaymentStatus.REFUNDED, StatusWord.REFUNDED);
        assertThat(Progress.advances(PaymentStatus.FINISHED, finished, PaymentStatus.REFUNDED, refunded)).isTrue();
    }

    @Test
    void everyForwardStatusMoveIsAForwardProgressMove() {
        for (PaymentStatus from : PaymentStatus.values()) {
            for (PaymentStatus to : PaymentStatus.values()) {
                for (StatusWord fromWord : StatusWord.values()) {
                    for (StatusWord toWord : StatusWord.values()) {
                        boolean advances = Progress.advances(from, Progress.rank(from, fromWord), to,
                                Progress.rank(to, toWord));
                        if (from != to) {
                            assertThat(advances).as("%s/%s -> %s/%s", from, fromWord, to, toWord)
                                    .isEqualTo(from.canAdvanceTo(to));
                        }
                    }
                }
            }
        }
    }
}
