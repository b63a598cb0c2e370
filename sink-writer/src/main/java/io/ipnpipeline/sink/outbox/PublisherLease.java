package io.ipnpipeline.sink.outbox;

import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.db.LeaderSession;
import io.ipnpipeline.support.db.Pools;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sink instance publishes the commands of one transactional id: the one whose PostgreSQL session holds a
 * session-level advisory lock keyed by that id. Every instance may run a publisher; one publishes, the others
 * stand by and take over when its session ends (process exit, crash, lost connection).
 *
 * <p>The lease is an efficiency and clarity measure, not the safety net: two publishers with the same
 * transactional id would still never duplicate a command, because each one's {@code initTransactions()} fences
 * the other. Without the lease they would fence each other round after round.
 *
 * <p>The connection is opened outside the pool on purpose: the session IS the lock, so it must end exactly
 * when the lease is let go, never linger in a pool. Server-side TCP keepalives bound how long a vanished
 * leader's session (and lock) can outlive it; the pools' socket timeout bounds how long this side waits on a server
 * that vanished, after which the lease is given up and taken again on a new session.
 */
final class PublisherLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherLease.class);
    /** The key is derived from the transactional id, so deployments with different ids never contend. */
    static final String TRY_LOCK_SQL = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final DatabaseConfig database;
    private final String transactionalId;
    private final String applicationName;
    /** Kept open while standing by too, so a retry is one query, not a new connection. */
    private Connection session;
    /** Read by the readiness and metrics threads. */
    private volatile boolean held;

    PublisherLease(DatabaseConfig database, String transactionalId, String applicationName) {
        this.database = database;
        this.transactionalId = transactionalId;
        this.applicationName = applicationName;
    }

    /** True if this instance holds the lease now (taking it if it is free). */
    boolean tryAcquire() throws SQLException {
        if (held) {
            return true;
        }
        try {
            if (session == null) {
                session = open();
            }
            held = tryLock(session);
            return held;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** The leader's session: the publisher's own queries run on it, so they fail when the lease is lost. */
    Connection connection() {
        if (!held) {
            throw new IllegalStateException("the publisher lease is not held");
        }
        return session;
    }

    boolean held() {
        return held;
    }

    /** Ends the session, which releases the lock (also when the connection is already broken). */
    @Override
    public void close() {
        held = false;
        if (session != null) {
            Connection closing = session;
            session = null;
            try {
                closing.close();
            } catch (SQLException e) {
                LOG.debug("closing the publisher lease's connection: {}", e.getMessage());
            }
        }
    }

    private Connection open() throws SQLException {
        return LeaderSession.open(database, applicationName, CONNECT_TIMEOUT, Pools.SOCKET_TIMEOUT);
    }

    private boolean tryLock(Connection candidate) throws SQLException {
        try (PreparedStatement statement = candidate.prepareStatement(TRY_LOCK_SQL)) {
            statement.setString(1, transactionalId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
