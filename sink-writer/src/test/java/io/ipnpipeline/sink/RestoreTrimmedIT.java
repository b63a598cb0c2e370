package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.sink.outbox.OutboxPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A restore when retention has trimmed the command topics (deployments upgraded from 7-day command topics keep
 * them). Payments 1-3 are published, then retention deletes their commands; 4-5 are published after. The backup
 * was taken before V6, so it has no mark: the restore loses 4-5's rows and the mark, and puts the sequence back.
 * The sink then applies a new payment, 6, before the publisher starts (ids below the position). 1-3's rows and 6's
 * look alike to the guard (below the position, not in Kafka): it must publish neither by guessing, but stop with a
 * message naming them, and go on once the operator has recorded, as the README says, that 1-3 were issued and 6
 * was not. Meanwhile 4-5 are applied again (a reconcile run) and 7 is new: neither is unsure.
 */
class RestoreTrimmedIT {

    @SuppressWarnings("try") // each service only has to run for its block
    @Test
    void unsureRowsBelowThePositionWaitForTheOperatorAndAreThenPublishedExactlyOnce() throws Exception {
        Logger publisherLog = (Logger) LoggerFactory.getLogger(OutboxPublisher.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        publisherLog.addAppender(events);
        try (SinkFixture fixture = new SinkFixture("sink-restore-trimmed")) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            long sequenceAtBackup = Tables.count(db, "SELECT last_value FROM command_outbox_outbox_id_seq");
            trim(fixture);
            assertThat(fixture.invites()).as("retention deleted 1-3's commands, delivered long ago").isEmpty();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(4, 5));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(4, 5));
            }

            restoreBackupWithoutMark(db, sequenceAtBackup);
            try (SinkService applyOnly = SinkService.start(fixture.config.withoutPublisher())) {
                fixture.produce(SinkFixture.finishedPayments(6, 6));
                SinkFixture.awaitFinished(db, 4);
            }
            assertThat(Tables.count(db, "SELECT count(*) FROM command_outbox WHERE outbox_id <= 10 AND "
                    + "message_key = '6'")).as("new commands drawn ids below the position").isEqualTo(2);

            try (SinkService restarted = fixture.start()) {
                String refusal = awaitRefusal(events);
                assertThat(refusal).contains("and 8 command_outbox rows with outbox_id > 0 AND outbox_id <= 10",
                        "INSERT INTO command_issued", "nextval('command_outbox_outbox_id_seq')");
                String named = refusal.substring(refusal.indexOf("Payments "), refusal.indexOf("; all of them"));
                assertThat(named).as("the unsure payments and their commands")
                        .containsPattern("^Payments [1236], [1236], [1236], [1236] \\(commands ")
                        .contains("invite:1", "payout:1", "invite:2", "payout:2", "invite:3", "payout:3", "invite:6",
                                "payout:6");
                // rows written while the publisher waits get ids above the position: not unsure
                fixture.produce(SinkFixture.finishedPayments(4, 5));
                fixture.produce(SinkFixture.finishedPayments(7, 7));
                SinkFixture.awaitFinished(db, 7);
                SinkFixture.sleep(Duration.ofSeconds(3));
                assertThat(restarted.isReady()).as("the publisher waits for the operator").isFalse();
                assertThat(fixture.invites()).extracting(r -> r.value().commandId())
                        .as("nothing published by guessing").containsExactlyInAnyOrder("invite:4", "invite:5");

                // the operator's step from the README: 1-3 were paid (ask the payout consumer), 6 was not
                Tables.execute(db, "INSERT INTO command_issued (command_id) VALUES ('invite:1'), ('payout:1'), "
                        + "('invite:2'), ('payout:2'), ('invite:3'), ('payout:3')");
                Tables.execute(db, "UPDATE command_outbox SET outbox_id = nextval('command_outbox_outbox_id_seq') "
                        + "WHERE command_id IN ('invite:6', 'payout:6')");

                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(4, 7));
                await().atMost(Duration.ofSeconds(30)).until(restarted::isReady);
                assertThat(restarted.metrics().registry().scrape())
                        .as("4-5 applied again and passed over").contains("sink_commands_already_issued_total 4.0");
            }
        } finally {
            publisherLog.detachAppender(events);
        }
    }

    private static String awaitRefusal(ListAppender<ILoggingEvent> events) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> List.copyOf(events.list).stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("restore guard: the command topics were trimmed")).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** A backup from before V6: 4-5's rows gone, the sequence back, no mark. */
    private static void restoreBackupWithoutMark(DataSource db, long sequenceAtBackup) {
        Tables.execute(db, "DELETE FROM payments WHERE payment_id IN (4, 5)");
        Tables.execute(db, "DELETE FROM private_channel_users_database WHERE user_id IN (904, 905)");
        Tables.execute(db, "DELETE FROM command_outbox WHERE message_key IN ('4', '5')");
        Tables.execute(db, "DELETE FROM command_outbox_published");
        Tables.execute(db, "SELECT setval('command_outbox_outbox_id_seq', " + sequenceAtBackup + ")");
    }

    /** What retention does to commands older than the retention time: here, all of them so far. */
    private static void trim(SinkFixture fixture) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap))) {
            for (String name : List.of(fixture.topics.name(Topics.COMMANDS_INVITE),
                    fixture.topics.name(Topics.COMMANDS_PAYOUT))) {
                int partitions = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()
                        .size();
                Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    specs.put(new TopicPartition(name, p), OffsetSpec.latest());
                }
                Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
                admin.listOffsets(specs).all().get().forEach((partition, info) -> delete.put(partition,
                        RecordsToDelete.beforeOffset(info.offset())));
                admin.deleteRecords(delete).all().get();
            }
        }
    }

}
