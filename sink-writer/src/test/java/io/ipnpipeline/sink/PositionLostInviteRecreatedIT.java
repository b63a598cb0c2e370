package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.fixtures.CrashOnce;
import io.ipnpipeline.sink.fixtures.Tables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The outbox position topic and ONE command topic (commands.invite) are deleted and recreated, the payout topic is
 * untouched. Invites 4-6 were committed to the old invite topic after the mark (a crash before the next mark), so
 * the bot has them; the new topic does not. The last command at or below the mark is a payout, which the untouched
 * payout topic still holds: that proves nothing about the invite topic. The guard must not take "not on the new
 * invite topic" for "never published": it refuses, loudly, until an operator decides.
 */
class PositionLostInviteRecreatedIT {

    /** The mark carries the command topics' IDs: the invite topic's changed. */
    @Test
    void aRecreatedInviteTopicStopsThePublisherInsteadOfInvitingAgain() throws Exception {
        positionAndInviteTopicLost("sink-lost-invite", false);
    }

    /**
     * A mark without topic IDs (written before they were recorded): the last invite at or below the mark must be on
     * the invite topic, not just the last command of any kind on its own topic.
     */
    @Test
    void withoutTopicIdsInTheMarkTheLastInviteAtOrBelowItMustBeOnTheInviteTopic() throws Exception {
        positionAndInviteTopicLost("sink-lost-invite-noids", true);
    }

    @SuppressWarnings("try") // each service only has to run for its block
    private static void positionAndInviteTopicLost(String name, boolean markWithoutTopicIds) throws Exception {
        try (SinkFixture fixture = new SinkFixture(name)) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            assertThat(Tables.count(db, "SELECT position FROM command_outbox_published")).isEqualTo(6);
            CrashOnce crash = new CrashOnce(CrashPoint.Step.PUBLISH_AFTER_KAFKA_COMMIT);
            SinkService crashed = fixture.start(crash);
            await().atMost(Duration.ofSeconds(60)).until(crashed::isReady);
            fixture.produce(SinkFixture.finishedPayments(4, 6));
            assertThat(crash.crashed().await(60, TimeUnit.SECONDS)).isTrue();
            crashed.close();
            // committed to the old invite topic (the bot has it) while the mark stayed at 6
            assertThat(fixture.invites()).extracting(r -> r.value().commandId()).contains(CommandIds.invite(4));
            assertThat(Tables.count(db, "SELECT position FROM command_outbox_published")).isEqualTo(6);
            if (markWithoutTopicIds) {
                Tables.execute(db, "UPDATE command_outbox_published SET command_offsets = NULL");
            }

            List<String> lost = List.of(fixture.topics.name(Topics.OUTBOX_POSITION),
                    fixture.topics.name(Topics.COMMANDS_INVITE));
            fixture.recreateTopics(lost);

            try (SinkService sink = fixture.start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> failures(sink) >= 2);
                assertThat(sink.isReady()).isFalse();
                // no invite above the mark (4-6) reaches the new topic: the bot had them already
                assertThat(fixture.invites()).isEmpty();
                assertThat(fixture.payouts()).extracting(r -> r.value().commandId()).doesNotHaveDuplicates();
            }
        }
    }

    private static double failures(SinkService sink) {
        return sink.metrics().registry().get("sink_outbox_publisher_failures").counter().count();
    }
}
