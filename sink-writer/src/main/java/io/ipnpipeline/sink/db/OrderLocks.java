package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.sink.batch.PlannedRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Serialises sink transactions that touch the same order (user, open channel) across sink instances. The
 * subscription word is read from the order's ledger rows ({@link io.ipnpipeline.contracts.status.OrderStatusRule});
 * without this lock two instances applying two payments of one order at once would each read the ledger without
 * the other's change, and the later commit could leave a word the ledger no longer supports. Taken first, before
 * any statement reads the ledger, so every later statement of the transaction sees the other's commit. One round
 * trip; the keys are locked in ascending order, so two batches never wait for each other in a cycle (the outbox
 * lock is always taken after these).
 */
final class OrderLocks {

    /** Arbitrary, fixed: the first key of every order lock, so they never meet another user of two-key locks. */
    static final int NAMESPACE = 0x0bde_5a1e;

    static final String SQL = "SELECT count(pg_advisory_xact_lock(" + NAMESPACE + ", k)) FROM unnest(?::int4[]) AS k";

    private OrderLocks() {
    }

    static void lock(Connection connection, List<List<PlannedRow>> waves) throws SQLException {
        TreeSet<Integer> keys = new TreeSet<>();
        for (List<PlannedRow> wave : waves) {
            for (PlannedRow row : wave) {
                EnrichedPayment payment = row.latest();
                if (payment.userId() != null && payment.openChannelId() != null) {
                    keys.add(key(payment.userId(), payment.openChannelId()));
                }
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        Array array = connection.createArrayOf("int4", keys.toArray());
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setArray(1, array);
            statement.execute();
        } finally {
            array.free();
        }
    }

    /** Two orders may share a key: they then only wait for each other, which is safe. */
    static int key(long userId, long openChannelId) {
        return Objects.hash(userId, openChannelId);
    }
}
