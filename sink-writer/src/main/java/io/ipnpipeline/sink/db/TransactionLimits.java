package io.ipnpipeline.sink.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Bounds on how long one of the sink's transactions may wait in PostgreSQL. Without them a row lock held by
 * another client (the Telegram bot idle in a transaction on a subscription row) stops the whole sink while it
 * reports ready: the wait is not an error, so nothing counts it. With them the wait ends as SQLState 55P03
 * (lock_not_available) or 57014 (query_canceled), neither the record's fault, so the batch goes to the backoff
 * path: consumption paused, readiness false, {@code sink_db_failures} counting, nothing dead-lettered.
 *
 * <p>Set with {@code set_config(.., true)} (= {@code SET LOCAL}) at the start of each transaction, so they end with
 * it and never reach the Flyway migrations that run through the same pool at start. The statement bound should
 * stay below the pools' socket timeout (60 s): then PostgreSQL cancels the statement and releases its locks, where
 * a client giving up on the socket would leave the server-side backend waiting with them.
 *
 * @param lockTimeout      longest wait for one lock
 * @param statementTimeout longest single statement (a 10,000-row COPY or upsert takes well under a second)
 */
public record TransactionLimits(Duration lockTimeout, Duration statementTimeout) {

    public static final TransactionLimits DEFAULT = new TransactionLimits(Duration.ofSeconds(10),
            Duration.ofSeconds(50));

    public TransactionLimits {
        if (lockTimeout.isNegative() || lockTimeout.isZero() || statementTimeout.isNegative()
                || statementTimeout.isZero()) {
            throw new IllegalArgumentException("transaction limits must be positive (0 would mean no limit)");
        }
    }

    /**
     * Applies both bounds to the transaction open on {@code connection} (auto-commit off) and returns the server's
     * {@code clock_timestamp()} read by the same statement: the batch's time of change ({@link BatchWriter}), read
     * here to spare a round trip per transaction (record-by-record isolation runs thousands of them).
     */
    OffsetDateTime applyTo(Connection connection) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true), "
                + "set_config('statement_timeout', ?, true), clock_timestamp()")) {
            set.setString(1, lockTimeout.toMillis() + "ms");
            set.setString(2, statementTimeout.toMillis() + "ms");
            try (ResultSet rs = set.executeQuery()) {
                rs.next();
                return rs.getObject(3, OffsetDateTime.class);
            }
        }
    }
}
