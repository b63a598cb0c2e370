package io.ipnpipeline.sink.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts a batch's commands into {@code command_outbox}. The transaction first takes an advisory lock that it
 * holds until commit, so outbox ids are handed out in commit order across every sink instance: once the
 * publisher has seen id N, no transaction can still commit an id below N. ({@code ON CONFLICT DO NOTHING} on
 * command_id is a second guard: a command exists at most once.)
 */
public final class OutboxStatement {

    /**
     * Arbitrary, fixed: the key of the transaction-scoped advisory lock that orders outbox inserts. The publisher's
     * restore guard takes it too while it moves the outbox sequence, so no insert draws an id in between.
     */
    public static final long ORDER_LOCK = 0x1b_0c_5e_ed_0b_0cL;

    public static final String LOCK_SQL = "SELECT pg_advisory_xact_lock(?)";

    static final String SQL = "INSERT INTO command_outbox (command_id, kind, message_key, payload)\n"
            + "SELECT command_id, kind, message_key, payload FROM " + Stage.OUTBOX + "\n"
            + "ON CONFLICT (command_id) DO NOTHING";

    private OutboxStatement() {
    }

    /** Returns how many rows were new. */
    static int insert(Connection connection, List<OutboxCommand> commands) throws SQLException {
        if (commands.isEmpty()) {
            return 0;
        }
        try (PreparedStatement lock = connection.prepareStatement(LOCK_SQL)) {
            lock.setLong(1, ORDER_LOCK);
            lock.execute();
        }
        try (CopyRows rows = CopyRows.into(connection, Stage.OUTBOX)) {
            for (OutboxCommand command : commands) {
                rows.add(command.commandId()).add(command.kind().word()).add(command.key()).addJson(command.payload())
                        .endRow();
            }
            rows.finish();
        }
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            return statement.executeUpdate();
        }
    }
}
