package io.ipnpipeline.sink.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The publisher's housekeeping DELETE: only rows both published and older than the retention go. */
class OutboxHousekeepingIT {

    private static final int RETENTION_HOURS = 24;

    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestSchema.create("outbox-housekeeping");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @BeforeEach
    void clean() {
        Tables.execute(schema.dataSource(), "TRUNCATE command_outbox RESTART IDENTITY");
    }

    /** Inserts a command created {@code hoursAgo}; ids are handed out in call order (1, 2, ...). */
    private static void command(long paymentId, int hoursAgo) {
        Tables.execute(schema.dataSource(), "INSERT INTO command_outbox (command_id, kind, message_key, payload,"
                + " created_at) VALUES ('invite:" + paymentId + "', 'invite', '" + paymentId + "', '{}',"
                + " now() - make_interval(hours => " + hoursAgo + "))");
    }

    private static int housekeep(long position) throws SQLException {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(OutboxPublisher.HOUSEKEEPING_SQL)) {
            statement.setLong(1, position);
            statement.setInt(2, RETENTION_HOURS);
            return statement.executeUpdate();
        }
    }

    private static List<Object> remaining() {
        return Tables.rows(schema.dataSource(), "SELECT outbox_id FROM command_outbox ORDER BY outbox_id").stream()
                .map(row -> row.get("outbox_id")).toList();
    }

    @Test
    void deletesOnlyPublishedRowsOlderThanTheRetention() throws SQLException {
        command(1, 50);
        command(2, 30);
        command(3, 48);
        command(4, 1);
        command(5, 40);

        assertThat(housekeep(5)).isEqualTo(3);
        // 5 is old and published, but sits behind a young row: kept until that one ages (retention is a minimum)
        assertThat(remaining()).containsExactly(4L, 5L);
    }

    @Test
    void neverDeletesWhatIsNotPublishedYet() throws SQLException {
        command(1, 50);
        command(2, 50);
        command(3, 50);

        assertThat(housekeep(2)).isEqualTo(2);
        assertThat(remaining()).containsExactly(3L);
    }

    @Test
    void keepsEverythingInsideTheRetentionAndTheOutboxHasNoCreatedAtIndex() throws SQLException {
        command(1, 2);
        command(2, 1);

        assertThat(housekeep(2)).isZero();
        assertThat(remaining()).containsExactly(1L, 2L);
        assertThat(Tables.rows(schema.dataSource(), "SELECT indexname FROM pg_indexes WHERE tablename ="
                + " 'command_outbox' ORDER BY indexname")).extracting(row -> row.get("indexname"))
                .containsExactly("command_outbox_command_id_key", "command_outbox_pkey");
    }
}
