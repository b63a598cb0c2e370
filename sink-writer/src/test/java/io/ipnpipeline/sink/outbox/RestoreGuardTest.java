package io.ipnpipeline.sink.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** When the publisher must read the command topics back before publishing. */
class RestoreGuardTest {

    @Test
    void aFreshDeploymentNeedsNoGuard() {
        assertThat(RestoreGuard.needed(0, 0, OptionalLong.empty())).isFalse();
    }

    @Test
    void aMarkAtThePositionNeedsNoGuard() {
        assertThat(RestoreGuard.needed(10, 14, OptionalLong.of(10))).isFalse();
    }

    @Test
    void aMarkBehindThePositionMeansCommandsThisDatabaseDoesNotKnow() {
        // the sequence (14) looks fine: pg_dump and WAL replay can both leave it past the lost rows
        assertThat(RestoreGuard.needed(10, 14, OptionalLong.of(6))).isTrue();
    }

    @Test
    void aSequenceBehindThePositionIsARestoreWhateverTheMark() {
        assertThat(RestoreGuard.needed(10, 6, OptionalLong.of(10))).isTrue();
    }

    @Test
    void noMarkAfterPublishingMeansUnknownSoTheGuardRuns() {
        assertThat(RestoreGuard.needed(10, 14, OptionalLong.empty())).isTrue();
    }

    @Test
    void rowsAboveTheMarkMayHaveBeenWrittenSinceTheRestore() {
        assertThat(RestoreGuard.movableAbove(10, 14, OptionalLong.of(6))).isEqualTo(6);
    }

    @Test
    void withoutAMarkOrASignOfRestoreNothingIsMoved() {
        assertThat(RestoreGuard.movableAbove(10, 14, OptionalLong.empty())).isEqualTo(10);
        assertThat(RestoreGuard.movableAbove(10, 6, OptionalLong.empty())).isZero();
    }
}
