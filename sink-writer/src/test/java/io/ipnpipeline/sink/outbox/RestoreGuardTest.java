package io.ipnpipeline.sink.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
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

    private static final TopicPartition INVITE_0 = new TopicPartition("commands.invite", 0);
    private static final TopicPartition INVITE_1 = new TopicPartition("commands.invite", 1);
    private static final TopicPartition PAYOUT_0 = new TopicPartition("commands.payout", 0);

    private static Optional<RestoreGuard.Mark> mark(long position, Map<TopicPartition, Long> offsets) {
        return Optional.of(new RestoreGuard.Mark(position, offsets));
    }

    @Test
    void theReadStartsAtTheOffsetsRecordedWithTheMark() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L, PAYOUT_0, 41L)), 14,
                Map.of(INVITE_0, 0L, PAYOUT_0, 0L), Map.of(INVITE_0, 52L, PAYOUT_0, 41L)))
                .isEqualTo(Map.of(INVITE_0, 40L, PAYOUT_0, 41L));
    }

    @Test
    void retentionBelowTheRecordedOffsetDeletedNothingThatMatters() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14, Map.of(INVITE_0, 40L),
                Map.of(INVITE_0, 52L))).isEqualTo(Map.of(INVITE_0, 40L));
    }

    @Test
    void aPartitionTrimmedPastItsOffsetIsReadFromItsBeginning() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L, PAYOUT_0, 41L)), 14,
                Map.of(INVITE_0, 41L, PAYOUT_0, 0L), Map.of(INVITE_0, 52L, PAYOUT_0, 50L)))
                .isEqualTo(Map.of(PAYOUT_0, 41L));
    }

    @Test
    void aPartitionEndingBeforeItsOffsetIsNotTheOneRecordedSoItIsReadFromItsBeginning() {
        // recreated, or another cluster's topic of the same name
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14, Map.of(INVITE_0, 0L),
                Map.of(INVITE_0, 39L))).isEmpty();
    }

    @Test
    void aPartitionWithoutARecordedOffsetIsReadFromItsBeginning() {
        // added since the mark, or a command topic renamed
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14,
                Map.of(INVITE_0, 0L, INVITE_1, 0L), Map.of(INVITE_0, 52L, INVITE_1, 9L)))
                .isEqualTo(Map.of(INVITE_0, 40L));
    }

    @Test
    void aMarkWithoutOffsetsOrNoMarkReadsEverything() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of()), 14, Map.of(INVITE_0, 0L), Map.of(INVITE_0, 52L)))
                .isEmpty();
        assertThat(RestoreGuard.usableOffsets(Optional.empty(), 14, Map.of(INVITE_0, 0L), Map.of(INVITE_0, 52L)))
                .isEmpty();
    }

    @Test
    void anOutboxSequenceBelowTheMarkMayHaveDrawnIdsUnderItSoEverythingIsRead() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 9, Map.of(INVITE_0, 0L),
                Map.of(INVITE_0, 52L))).isEmpty();
    }

    @Test
    void recordedOffsetsSurviveTheColumnAndAnUnreadableOneMeansNone() {
        Map<TopicPartition, Long> offsets = Map.of(INVITE_0, 40L, INVITE_1, 7L, PAYOUT_0, 41L);
        assertThat(CommandOffsets.fromJson(CommandOffsets.toJson(offsets))).isEqualTo(offsets);
        assertThat(CommandOffsets.toJson(Map.of())).isNull();
        assertThat(CommandOffsets.fromJson(null)).isEmpty();
        assertThat(CommandOffsets.fromJson("[1, 2]")).isEmpty();
    }
}
