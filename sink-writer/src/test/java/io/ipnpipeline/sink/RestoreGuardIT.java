package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.fixtures.Tables;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Contract 4 across a restore of PostgreSQL from a backup. Payments 1-3 are published, then the "backup" is taken;
 * payments 4-5 are published after it. The restore loses 4-5's ledger, subscription and outbox rows and puts the
 * publisher's mark back; the sink then applies 4-5 again (as a reconcile run injects them) and two new payments,
 * 6-7, with no publisher running, so their outbox rows get ids from the restored sequence. After the sink starts
 * again a read_committed consumer must see exactly one invite and one payout for each of 1-7: 4-5 not twice, 6-7
 * not lost below the position.
 */
class RestoreGuardIT {

    /** How the restored outbox sequence looks. */
    enum Backup {
        /** The sequence as it was at the backup: behind the published position. */
        SEQUENCE_RESTORED,
        /**
         * The sequence at or past the position although the rows are gone: pg_dump reads sequences after its
         * snapshot, and WAL replay moves them ahead. Only the mark tells.
         */
        SEQUENCE_AHEAD,
        /**
         * A backup from before the mark existed (no mark), its sequence behind, and the sink wrote past the position
         * before the publisher's guard ran: only Kafka, complete here, tells which rows were published.
         */
        NO_MARK_SEQUENCE_PASSED
    }

    @SuppressWarnings("try") // each service only has to run for its block
    @ParameterizedTest
    @EnumSource(Backup.class)
    void aRestoredDatabaseNeitherRepeatsNorLosesACommand(Backup backup) throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-restore-" + backup.name().toLowerCase().replace('_', '-'))) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            long sequenceAtBackup = Tables.count(db, "SELECT last_value FROM command_outbox_outbox_id_seq");
            long markAtBackup = Tables.count(db, "SELECT position FROM command_outbox_published");
            assertThat(markAtBackup).as("a clean stop leaves the mark at the position").isEqualTo(6);
            String offsetsAtBackup = (String) Tables.rows(db, "SELECT command_offsets::text FROM "
                    + "command_outbox_published").get(0).get("command_offsets");
            assertThat(offsetsAtBackup).as("the mark carries the command topics' offsets").isNotNull();

            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(4, 5));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 5));
            }

            restore(db, backup, sequenceAtBackup, markAtBackup, offsetsAtBackup);

            try (SinkService applyOnly = SinkService.start(fixture.config.withoutPublisher())) {
                // the new payments first, so in the SEQUENCE_RESTORED case they take the ids below the position
                fixture.produce(SinkFixture.finishedPayments(6, 7));
                SinkFixture.awaitFinished(db, 5);
                fixture.produce(SinkFixture.finishedPayments(4, 5));
                SinkFixture.awaitFinished(db, 7);
            }
            if (backup != Backup.SEQUENCE_AHEAD) {
                assertThat(Tables.count(db, "SELECT count(*) FROM command_outbox WHERE outbox_id <= 10 AND "
                        + "message_key IN ('6', '7')")).as("new commands drawn ids below the position").isPositive();
            }

            // with the mark, only what was published after it is read back (4-5); without, everything (1-5)
            long issued = backup == Backup.NO_MARK_SEQUENCE_PASSED ? 10 : 4;
            try (SinkService restarted = fixture.start()) {
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 7));
                assertThat(Tables.count(db, "SELECT count(*) FROM command_issued")).isEqualTo(issued);
                assertThat(restarted.metrics().registry().scrape()).contains("sink_commands_already_issued_total 4.0");
            }
            // a clean restart does not run the guard again (it would record 6-7's commands too)
            try (SinkService again = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(8, 8));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 8));
            }
            assertThat(Tables.count(db, "SELECT count(*) FROM command_issued")).isEqualTo(issued);
        }
    }

    /**
     * What a restore from the backup leaves: 4-5's rows gone, the mark (position and offsets, one row) and perhaps
     * the sequence as they were.
     */
    private static void restore(DataSource db, Backup backup, long sequenceAtBackup, long markAtBackup,
            String offsetsAtBackup) {
        Tables.execute(db, "DELETE FROM payments WHERE payment_id IN (4, 5)");
        Tables.execute(db, "DELETE FROM private_channel_users_database WHERE user_id IN (904, 905)");
        Tables.execute(db, "DELETE FROM command_outbox WHERE message_key IN ('4', '5')");
        if (backup == Backup.NO_MARK_SEQUENCE_PASSED) {
            Tables.execute(db, "DELETE FROM command_outbox_published");
        } else {
            Tables.execute(db, "UPDATE command_outbox_published SET position = " + markAtBackup
                    + ", command_offsets = '" + offsetsAtBackup + "'::jsonb");
        }
        if (backup != Backup.SEQUENCE_AHEAD) {
            Tables.execute(db, "SELECT setval('command_outbox_outbox_id_seq', " + sequenceAtBackup + ")");
        }
    }

    /**
     * A backup from before V7 (mark without offsets or topic IDs) restored onto command topics deleted and recreated
     * since: they are empty, so nothing looks trimmed, and "not on them" would count every row at or below the
     * position as never published. The mark's last invite and payout are not on them: they are not the mark's
     * topics, so rows at or below the mark count as published and rows above it are undecided until the operator
     * says.
     */
    @SuppressWarnings("try")
    @Test
    void aBackupWithoutOffsetsOnRecreatedCommandTopicsRepublishesNothingBelowTheMark() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-restore-recreated")) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            long sequenceAtBackup = Tables.count(db, "SELECT last_value FROM command_outbox_outbox_id_seq");
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(4, 5));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 5));
            }
            // the pre-V7 backup: 4-5 gone, the mark at 6 with no offsets, the sequence as it was
            restore(db, Backup.SEQUENCE_RESTORED, sequenceAtBackup, 6, null);
            Tables.execute(db, "UPDATE command_outbox_published SET command_offsets = NULL");
            List<String> commandTopics = List.of(fixture.topics.name(Topics.COMMANDS_INVITE),
                    fixture.topics.name(Topics.COMMANDS_PAYOUT));
            fixture.recreateTopics(commandTopics);

            try (SinkService applyOnly = SinkService.start(fixture.config.withoutPublisher())) {
                // 6's rows get ids from the restored sequence, below the position: undecided
                fixture.produce(SinkFixture.finishedPayments(6, 6));
                SinkFixture.awaitFinished(db, 4);
            }
            try (SinkService restarted = fixture.start()) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> restarted.metrics().registry()
                        .get("sink_outbox_publisher_failures").counter().count() >= 2);
                assertThat(restarted.isReady()).isFalse();
                // 1-3 were published to the old topics before the backup: not again, and nothing else undecided
                assertThat(fixture.invites()).isEmpty();
                assertThat(fixture.payouts()).isEmpty();

                // the operator's decision for 6's rows: not issued
                Tables.execute(db, "UPDATE command_outbox SET outbox_id = nextval('command_outbox_outbox_id_seq') "
                        + "WHERE message_key = '6'");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(restarted::isReady);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> fixture.payouts().size() >= 1);
                SinkFixture.sleep(Duration.ofMillis(1500));
                assertThat(fixture.invites()).extracting(r -> r.value().commandId())
                        .containsExactly(CommandIds.invite(6));
                assertThat(fixture.payouts()).extracting(r -> r.value().commandId())
                        .containsExactly(CommandIds.payout(6));
            }
        }
    }
}
