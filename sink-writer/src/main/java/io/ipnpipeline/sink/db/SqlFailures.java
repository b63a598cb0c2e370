package io.ipnpipeline.sink.db;

import java.sql.SQLException;

/**
 * Which database failures are the record's fault. SQLState class 22 (data exception: bad number, bad JSON,
 * out of range) and 23 (integrity constraint) will fail the same way on every retry, so the record goes to the
 * dead-letter topic. Everything else (08 connection, 57P01 shutdown, 40001/40P01 serialization or deadlock,
 * pool timeouts) is retried with backoff: losing a paid customer to a transient outage is never acceptable.
 */
public final class SqlFailures {

    private SqlFailures() {
    }

    public static boolean isRecordsFault(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("22") || state.startsWith("23");
            }
        }
        return false;
    }

    /** A short reason for logs and dead-letter headers: the SQLState and the server's message. */
    public static String describe(SQLException failure) {
        return "SQLState " + failure.getSQLState() + ": " + failure.getMessage();
    }
}
