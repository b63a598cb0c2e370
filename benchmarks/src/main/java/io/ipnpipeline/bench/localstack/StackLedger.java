package io.ipnpipeline.bench.localstack;

import io.ipnpipeline.bench.workload.Ipns;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The running local stack's database and broker, found as a user finds them: in {@code endpoints.env}. Channels
 * are registered the way the Telegram bot registers them, as rows of {@code main_clients_database}; the
 * stack's registry publishes them to channel.mappings.
 */
final class StackLedger {

    private final Properties endpoints;

    private StackLedger(Properties endpoints) {
        this.endpoints = endpoints;
    }

    static StackLedger open(Path endpointsFile) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(endpointsFile)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + endpointsFile, e);
        }
        return new StackLedger(properties);
    }

    String bootstrap() {
        return required(KafkaSettings.BOOTSTRAP_SERVERS);
    }

    /** The benchmark's channels ({@link Ipns#mappings}), three tiers each, instant payout. */
    void registerChannels(int channels) throws SQLException {
        String sql = """
                INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,
                    client_payout_currency, client_payout_network, sub_1_price, sub_1_time, sub_2_price, sub_2_time,
                    sub_3_price, sub_3_time, payout_strategy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'instant')
                """;
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(sql)) {
            for (ChannelMapping mapping : Ipns.mappings(channels)) {
                insert.setLong(1, mapping.openChannelId());
                insert.setLong(2, mapping.closedChannelId());
                insert.setString(3, mapping.clientWalletAddress());
                insert.setString(4, mapping.clientPayoutCurrency());
                insert.setString(5, mapping.clientPayoutNetwork());
                insert.setBigDecimal(6, mapping.sub1Price());
                insert.setInt(7, mapping.sub1Time());
                insert.setBigDecimal(8, mapping.sub2Price());
                insert.setInt(9, mapping.sub2Time());
                insert.setBigDecimal(10, mapping.sub3Price());
                insert.setInt(11, mapping.sub3Time());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    long finishedPayments() {
        return count("SELECT count(*) FROM payments WHERE status = 'finished'");
    }

    long subscriptions() {
        return count("SELECT count(*) FROM private_channel_users_database");
    }

    private long count(String sql) {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the local stack's ledger", e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(required(DatabaseConfig.JDBC_URL), required(DatabaseConfig.USER),
                endpoints.getProperty(DatabaseConfig.PASSWORD, ""));
    }

    private String required(String key) {
        String value = endpoints.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("endpoints.env has no " + key);
        }
        return value;
    }
}
