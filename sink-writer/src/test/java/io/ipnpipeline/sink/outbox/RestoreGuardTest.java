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

    private static final Map<String, String> NO_IDS = Map.of();
    private static final String OLD_ID = "Q2JxWb6eSAyWm4eFRbh2Pw";
    private static final String NEW_ID = "7nq0q7aVQxe6fA1N2xzgXA";

    private static Optional<RestoreGuard.Mark> mark(long position, Map<TopicPartition, Long> offsets) {
        return Optional.of(new RestoreGuard.Mark(position, offsets));
    }

    @Test
    void theReadStartsAtTheOffsetsRecordedWithTheMark() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L, PAYOUT_0, 41L)), 14,
                Map.of(INVITE_0, 0L, PAYOUT_0, 0L), Map.of(INVITE_0, 52L, PAYOUT_0, 41L), NO_IDS))
                .isEqualTo(Map.of(INVITE_0, 40L, PAYOUT_0, 41L));
    }

    @Test
    void retentionBelowTheRecordedOffsetDeletedNothingThatMatters() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14, Map.of(INVITE_0, 40L),
                Map.of(INVITE_0, 52L), NO_IDS)).isEqualTo(Map.of(INVITE_0, 40L));
    }

    @Test
    void aPartitionTrimmedPastItsOffsetIsReadFromItsBeginning() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L, PAYOUT_0, 41L)), 14,
                Map.of(INVITE_0, 41L, PAYOUT_0, 0L), Map.of(INVITE_0, 52L, PAYOUT_0, 50L), NO_IDS))
                .isEqualTo(Map.of(PAYOUT_0, 41L));
    }

    @Test
    void aPartitionEndingBeforeItsOffsetIsNotTheOneRecordedSoItIsReadFromItsBeginning() {
        // recreated, or another cluster's topic of the same name
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14, Map.of(INVITE_0, 0L),
                Map.of(INVITE_0, 39L), NO_IDS)).isEmpty();
    }

    @Test
    void aPartitionWithoutARecordedOffsetIsReadFromItsBeginning() {
        // added since the mark, or a command topic renamed
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14,
                Map.of(INVITE_0, 0L, INVITE_1, 0L), Map.of(INVITE_0, 52L, INVITE_1, 9L), NO_IDS))
                .isEqualTo(Map.of(INVITE_0, 40L));
    }

    @Test
    void aMarkWithoutOffsetsOrNoMarkReadsEverything() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of()), 14, Map.of(INVITE_0, 0L), Map.of(INVITE_0, 52L), NO_IDS))
                .isEmpty();
        assertThat(RestoreGuard.usableOffsets(Optional.empty(), 14, Map.of(INVITE_0, 0L), Map.of(INVITE_0, 52L), NO_IDS))
                .isEmpty();
    }

    @Test
    void anOutboxSequenceBelowTheMarkMayHaveDrawnIdsUnderItSoEverythingIsRead() {
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 9, Map.of(INVITE_0, 0L),
                Map.of(INVITE_0, 52L), NO_IDS)).isEmpty();
    }

    @Test
    void recordedOffsetsSurviveTheColumnAndAnUnreadableOneMeansNone() {
        Map<TopicPartition, Long> offsets = Map.of(INVITE_0, 40L, INVITE_1, 7L, PAYOUT_0, 41L);
        assertThat(CommandOffsets.fromJson(CommandOffsets.toJson(offsets))).isEqualTo(offsets);
        assertThat(CommandOffsets.toJson(Map.of())).isNull();
        assertThat(CommandOffsets.fromJson(null)).isEmpty();
        assertThat(CommandOffsets.fromJson("[1, 2]")).isEmpty();
    }

    @Test
    void offsetsRecordedForAnotherTopicOfTheSameNameAreNotUsed() {
        // deleted and recreated since the mark, and grown past the offsets: the range check alone would pass them
        Optional<RestoreGuard.Mark> mark = Optional.of(new RestoreGuard.Mark(10, Map.of(INVITE_0, 4L, PAYOUT_0, 4L),
                Map.of(INVITE_0.topic(), OLD_ID, PAYOUT_0.topic(), OLD_ID)));
        Map<String, String> now = Map.of(INVITE_0.topic(), NEW_ID, PAYOUT_0.topic(), OLD_ID);
        assertThat(RestoreGuard.usableOffsets(mark, 14, Map.of(INVITE_0, 0L, PAYOUT_0, 0L),
                Map.of(INVITE_0, 30L, PAYOUT_0, 30L), now)).isEqualTo(Map.of(PAYOUT_0, 4L));
        assertThat(RestoreGuard.recreated(mark, now)).containsExactly(INVITE_0.topic());
    }

    @Test
    void aMarkWithoutTopicIdsUsesItsOffsetsAsBefore() {
        Map<String, String> now = Map.of(INVITE_0.topic(), NEW_ID);
        assertThat(RestoreGuard.usableOffsets(mark(10, Map.of(INVITE_0, 40L)), 14, Map.of(INVITE_0, 0L),
                Map.of(INVITE_0, 52L), now)).isEqualTo(Map.of(INVITE_0, 40L));
        assertThat(RestoreGuard.recreated(mark(10, Map.of(INVITE_0, 40L)), now)).isEmpty();
    }

    @Test
    void topicIdsSurviveTheColumnAndAMarkFromBeforeThemReadsWithout() {
        Map<TopicPartition, Long> offsets = Map.of(INVITE_0, 40L, INVITE_1, 7L, PAYOUT_0, 41L);
        Map<String, String> ids = Map.of(INVITE_0.topic(), OLD_ID, PAYOUT_0.topic(), NEW_ID);
        CommandOffsets.Recorded recorded = CommandOffsets.read(CommandOffsets.toJson(offsets, ids));
        assertThat(recorded.offsets()).isEqualTo(offsets);
        assertThat(recorded.topicIds()).isEqualTo(ids);
        CommandOffsets.Recorded old = CommandOffsets.read(
                "{\"commands.invite\": {\"0\": 40, \"1\": 7}, \"commands.payout\": {\"0\": 41}}");
        assertThat(old.offsets()).isEqualTo(offsets);
        assertThat(old.topicIds()).isEmpty();
    }
}
