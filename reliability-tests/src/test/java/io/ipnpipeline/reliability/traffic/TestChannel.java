package io.ipnpipeline.reliability.traffic;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A channel as the bot registers it in {@code main_clients_database}: two tiers, 2.50 USD for 30 days and
 * 7.00 USD for 90 days, an instant payout wallet.
 */
public record TestChannel(long openChannelId, long closedChannelId, String walletAddress) {

    public static final BigDecimal TIER_1_PRICE = new BigDecimal("2.50");
    public static final int TIER_1_DAYS = 30;
    public static final BigDecimal TIER_2_PRICE = new BigDecimal("7.00");
    public static final int TIER_2_DAYS = 90;

    /** The n-th channel of a test run; ids are Telegram-shaped (negative, -100 prefix). */
    public static TestChannel number(int n) {
        return new TestChannel(-1003200000000L - n, -1003100000000L - n, "0xWallet" + n);
    }

    /** The days a price buys, or empty when it matches no tier (the payment goes to review). */
    public static Optional<Integer> daysFor(BigDecimal priceUsd) {
        if (priceUsd.compareTo(TIER_1_PRICE) == 0) {
            return Optional.of(TIER_1_DAYS);
        }
        if (priceUsd.compareTo(TIER_2_PRICE) == 0) {
            return Optional.of(TIER_2_DAYS);
        }
        return Optional.empty();
    }

    public TestChannel withWallet(String wallet) {
        return new TestChannel(openChannelId, closedChannelId, wallet);
    }

    public void upsert(DataSource database) throws SQLException {
        String sql = """
                INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,
                    client_payout_currency, client_payout_network, sub_1_price, sub_1_time, sub_2_price, sub_2_time,
                    payout_strategy)
                VALUES (?, ?, ?, 'eth', 'eth', ?, ?, ?, ?, 'instant')
                ON CONFLICT (open_channel_id) DO UPDATE SET
                    closed_channel_id = EXCLUDED.closed_channel_id,
                    client_wallet_address = EXCLUDED.client_wallet_address
                """;
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, openChannelId);
            statement.setLong(2, closedChannelId);
            statement.setString(3, walletAddress);
            statement.setBigDecimal(4, TIER_1_PRICE);
            statement.setInt(5, TIER_1_DAYS);
            statement.setBigDecimal(6, TIER_2_PRICE);
            statement.setInt(7, TIER_2_DAYS);
            statement.executeUpdate();
        }
    }
}
