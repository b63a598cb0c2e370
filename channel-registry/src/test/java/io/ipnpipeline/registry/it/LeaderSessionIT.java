package io.ipnpipeline.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.support.db.LeaderSession;
import io.ipnpipeline.testsupport.TestSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The session a leader's advisory lock lives on (the registry's publisher and the sink's command publisher) drops
 * a vanished peer within seconds, not after the operating system's two-hour keepalive. Found by review: the
 * registry's session had no server-side keepalives, so a standby could not take over from a dead host for hours.
 */
class LeaderSessionIT {

    @Test
    void theServerProbesTheLeadersConnectionWithinSeconds() throws SQLException {
        try (TestSchema schema = TestSchema.create("leader-session");
                Connection session = LeaderSession.open(schema.databaseConfig(), "leader-session-it",
                        Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            assertThat(setting(session, "tcp_keepalives_idle")).isEqualTo("10");
            assertThat(setting(session, "tcp_keepalives_interval")).isEqualTo("5");
            assertThat(setting(session, "tcp_keepalives_count")).isEqualTo("3");
        }
    }

    private static String setting(Connection session, String name) throws SQLException {
        try (Statement statement = session.createStatement();
                ResultSet rows = statement.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
