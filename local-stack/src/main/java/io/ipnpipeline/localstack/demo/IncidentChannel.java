package io.ipnpipeline.localstack.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The incident's channel as the Telegram bot registers it in {@code main_clients_database}: open
 * -1003253338212 maps to closed -1003016667267, one 2.50 USD tier of 30 days, an instant payout wallet.
 */
public record IncidentChannel(long openChannelId, long closedChannelId, String walletAddress, String payoutCurrency,
        String payoutNetwork, BigDecimal tierPriceUsd, int tierDays) {

    public static final long USER_ID = 6271402111L;
    public static final long PAYMENT_ID = 4479119533L;
    public static final String ORDER_ID = "PGP-6271402111|-1003253338212";

    public static IncidentChannel incident() {
        return new IncidentChannel(-1003253338212L, -1003016667267L, "0x6aE1f7cB2d9e4A3b8C5d0E1F2a3B4c5D6e7F8a9B",
                "eth", "eth", new BigDecimal("2.50"), 30);
    }

    /** Same shape for another channel, so tests do not share rows. */
    public IncidentChannel withIds(long open, long closed) {
        return new IncidentChannel(open, closed, walletAddress, payoutCurrency, payoutNetwork, tierPriceUsd, tierDays);
    }

    /** Inserts or refreshes the row, as the bot does when a channel owner (re)registers. */
    public void upsert(DataSource database) throws SQLException {
        String sql = """
                INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,
                    client_payout_currency, client_payout_network, sub_1_price, sub_1_time, payout_strategy)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'instant')
                ON CONFLICT (open_channel_id) DO UPDATE SET
                    closed_channel_id = EXCLUDED.closed_channel_id,
                    client_wallet_address = EXCLUDED.client_wallet_address,
                    client_payout_currency = EXCLUDED.client_payout_currency,
                    client_payout_network = EXCLUDED.client_payout_network,
                    sub_1_price = EXCLUDED.sub_1_price,
                    sub_1_time = EXCLUDED.sub_1_time,
                    updated_at = now()
                """;
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, openChannelId);
            statement.setLong(2, closedChannelId);
            statement.setString(3, walletAddress);
            statement.setString(4, payoutCurrency);
            statement.setString(5, payoutNetwork);
            statement.setBigDecimal(6, tierPriceUsd);
            statement.setInt(7, tierDays);
            statement.executeUpdate();
        }
    }
}
