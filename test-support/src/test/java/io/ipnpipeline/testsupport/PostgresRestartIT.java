package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A dedicated server: stopping the shared one would break every other test in the JVM. */
class PostgresRestartIT {

    @Test
    void queriesFailWhileDownAndThePoolRecoversWithTheSameData() throws SQLException {
        try (TestPostgres postgres = TestPostgres.embedded().start();
                TestSchema schema = TestSchema.create(postgres, "pg-restart")) {
            DataSource pool = schema.dataSource();
            insertChannel(pool, -1003253338212L);

            postgres.stop();
            assertThatThrownBy(() -> countChannels(pool)).isInstanceOf(SQLException.class);

            postgres.start();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> countChannels(pool) == 1);
            assertThat(postgres.jdbcUrl()).isEqualTo(schema.jdbcUrl().substring(0, schema.jdbcUrl().indexOf('?')));
        }
    }

    private static void insertChannel(DataSource pool, long openChannelId) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,
                            client_payout_currency, client_payout_network, sub_1_price, sub_1_time)
                        VALUES (?, ?, 'wallet', 'usdt', 'trx', 10.00, 30)""")) {
            insert.setLong(1, openChannelId);
            insert.setLong(2, openChannelId - 1);
            insert.executeUpdate();
        }
    }

    private static long countChannels(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM main_clients_database");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
