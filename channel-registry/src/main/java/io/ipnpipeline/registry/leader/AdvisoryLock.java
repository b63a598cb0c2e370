package io.ipnpipeline.registry.leader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Single-publisher leadership: a PostgreSQL session-level advisory lock held by the publisher's dedicated
 * connection. PostgreSQL releases it when that session ends (process killed, connection lost, backend
 * terminated), which is exactly when a standby must take over. The key is per topic, so publishers of
 * different topics (or test classes) never wait on each other.
 */
public final class AdvisoryLock {

    /** "REGI": the first key half, so the lock cannot collide with another component's advisory locks. */
    static final int CLASS_ID = 0x52454749;

    private AdvisoryLock() {
    }

    /** The second key half: stable across instances and JVMs ({@code String.hashCode} is specified). */
    public static int objectId(String topic) {
        return topic.hashCode();
    }

    /** Takes the lock if free; true when this session holds it now. Never waits. */
    public static boolean tryAcquire(Connection connection, String topic) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            statement.setInt(1, CLASS_ID);
            statement.setInt(2, objectId(topic));
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** True while this session still holds the lock; false means leadership is gone. */
    public static boolean held(Connection connection, String topic) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks"
                + " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
                + " AND classid = ?::oid AND objid = ?::oid AND objsubid = 2)")) {
            statement.setLong(1, Integer.toUnsignedLong(CLASS_ID));
            statement.setLong(2, Integer.toUnsignedLong(objectId(topic)));
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }
}
