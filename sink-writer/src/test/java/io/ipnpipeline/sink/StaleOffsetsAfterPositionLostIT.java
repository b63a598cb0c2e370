package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.fixtures.CrashOnce;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Kafka's data is lost under the same topic names (position and command topics deleted and recreated), so the
 * publisher continues from PostgreSQL's mark; then it crashes after its first Kafka commit and before its next mark.
 * The guard run at the restart must not read the new command topics from offsets recorded for the lost ones: the
 * new topics have grown past them by then, and a read from there skips the commands just published, which would
 * then be published (invite and pay) a second time.
 */
class StaleOffsetsAfterPositionLostIT {

    @SuppressWarnings("try") // each service only has to run for its block
    @Test
    void offsetsOfTheLostTopicsNeverHideCommandsPublishedToTheNewOnes() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-stale-offsets")) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            // the clean stop left the mark at 6 with the old topics' offsets
            List<String> lost = List.of(fixture.topics.name(Topics.OUTBOX_POSITION),
                    fixture.topics.name(Topics.COMMANDS_INVITE), fixture.topics.name(Topics.COMMANDS_PAYOUT));
            List<String> newIds;
            fixture.recreateTopics(lost);
            try (Admin admin = TestKafka.admin(fixture.bootstrap)) {
                newIds = admin.describeTopics(lost.subList(1, 3)).allTopicNames().get(30, TimeUnit.SECONDS).values()
                        .stream().map(description -> description.topicId().toString()).toList();
            }

            CrashOnce crash = new CrashOnce(CrashPoint.Step.PUBLISH_AFTER_KAFKA_COMMIT);
            SinkService crashed = fixture.start(crash);
            await().atMost(Duration.ofSeconds(60)).until(crashed::isReady);
            // continuing from the mark rewrote it for the new command topics (each defence alone passes the rest)
            assertThat(Tables.rows(db, "SELECT command_offsets::text FROM command_outbox_published").toString())
                    .contains(newIds);
            fixture.produce(SinkFixture.finishedPayments(4, 20));
            assertThat(crash.crashed().await(60, TimeUnit.SECONDS)).isTrue();
            crashed.close();

            try (SinkService restarted = fixture.start()) {
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(4, 20));
            }
        }
    }
}
