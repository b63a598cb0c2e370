package io.ipnpipeline.support.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * A dedicated, non-pooled connection whose session holds a leader's advisory lock: the session is the lock. When
 * the leader's host vanishes without a TCP reset, the server keeps such a session, and its lock, until TCP gives
 * up on it: about two hours of the operating system's default keepalive. Server-side keepalives set on the session
 * end it after about idle + interval x count = 25 s, so a standby can take over.
 */
public final class LeaderSession {

    static final String KEEPALIVE_SQL =
            "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3";

    private LeaderSession() {
    }

    /**
     * Opens the session with server-side keepalives set.
     *
     * @param socketTimeout how long the client waits for any answer before giving the connection up; zero: forever
     */
    public static Connection open(DatabaseConfig database, String applicationName, Duration connectTimeout,
            Duration socketTimeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", database.user());
        props.setProperty("password", database.password().reveal());
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toSeconds()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        Connection opened = DriverManager.getConnection(database.jdbcUrl(), props);
        try (Statement statement = opened.createStatement()) {
            statement.execute(KEEPALIVE_SQL);
        } catch (SQLException e) {
            try {
                opened.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return opened;
    }
}
