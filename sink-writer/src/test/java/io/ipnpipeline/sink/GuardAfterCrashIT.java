package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.sink.fixtures.CrashOnce;
import io.ipnpipeline.sink.fixtures.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The publisher dies right after a Kafka commit, before PostgreSQL hears of it: the mark lags the position, and the
 * next start runs the restore guard. The command topics are kept forever, so reading them back from offset 0 would
 * cost every command ever issued on every such crash; the guard reads only what was published after the mark.
 */
class GuardAfterCrashIT {

    @SuppressWarnings("try") // each service only has to run for its block
    @Test
    void aCrashWithTheMarkBehindReadsBackOnlyTheCommandsAfterTheMark() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-guard-window")) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 20));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 20));
            }
            assertThat(Tables.count(db, "SELECT position FROM command_outbox_published")).isEqualTo(40);
            assertThat(Tables.count(db, "SELECT count(*) FROM command_outbox_published WHERE command_offsets IS NULL"))
                    .as("the mark carries the command topics' offsets").isZero();

            CrashOnce crash = new CrashOnce(CrashPoint.Step.PUBLISH_AFTER_KAFKA_COMMIT);
            SinkService crashed = fixture.start(crash);
            fixture.produce(SinkFixture.finishedPayments(21, 25));
            assertThat(crash.crashed().await(60, TimeUnit.SECONDS)).as("the publisher crashed").isTrue();
            crashed.close();
            List<String> afterMark = commandIds(fixture);
            afterMark.removeIf(id -> Long.parseLong(id.substring(id.indexOf(':') + 1)) <= 20);
            assertThat(afterMark).as("the crashed transaction committed commands after the mark").isNotEmpty();
            assertThat(Tables.count(db, "SELECT position FROM command_outbox_published"))
                    .as("PostgreSQL's mark is behind Kafka's position").isEqualTo(40);

            try (SinkService restarted = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(26, 27));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 27));
            }
            // what the guard read back: exactly the commands committed after the mark, none of 1-20's
            assertThat(Tables.rows(db, "SELECT command_id FROM command_issued")).extracting(r -> r.get("command_id"))
                    .containsExactlyInAnyOrderElementsOf(afterMark);
        }
    }

    private static List<String> commandIds(SinkFixture fixture) {
        return Stream.concat(fixture.invites().stream().map(r -> r.value().commandId()),
                fixture.payouts().stream().map(r -> r.value().commandId()))
                .collect(Collectors.toCollection(ArrayList::new));
    }
}
