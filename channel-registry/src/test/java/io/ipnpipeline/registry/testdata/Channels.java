package io.ipnpipeline.registry.testdata;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import java.math.BigDecimal;
import java.time.Instant;

/** Test-data builder for a registry row / {@link ChannelMapping}, with valid defaults. */
public final class Channels {

    private long openChannelId = -1001000000001L;
    private long closedChannelId = -1002000000001L;
    private String wallet = "TWalletA1111111111111111111111111";
    private String currency = "usdt";
    private String network = "trx";
    private BigDecimal sub1Price = new BigDecimal("5.00");
    private Integer sub1Time = 30;
    private BigDecimal sub2Price = new BigDecimal("12.50");
    private Integer sub2Time = 90;
    private BigDecimal sub3Price;
    private Integer sub3Time;
    private PayoutStrategy strategy = PayoutStrategy.INSTANT;
    private BigDecimal threshold;
    private Instant updatedAt = Instant.parse("2026-01-02T03:04:05.123456Z");

    private Channels() {
    }

    public static Channels channel(long openChannelId) {
        Channels channels = new Channels();
        channels.openChannelId = openChannelId;
        channels.closedChannelId = openChannelId - 1_000_000_000L;
        return channels;
    }

    public Channels wallet(String value) {
        this.wallet = value;
        return this;
    }

    public Channels tier1(String price, int days) {
        this.sub1Price = new BigDecimal(price);
        this.sub1Time = days;
        return this;
    }

    public Channels currency(String value) {
        this.currency = value;
        return this;
    }

    public Channels network(String value) {
        this.network = value;
        return this;
    }

    public Channels tier2(String price, Integer days) {
        this.sub2Price = price == null ? null : new BigDecimal(price);
        this.sub2Time = days;
        return this;
    }

    /** {@code usd} may be null: a threshold strategy without its amount. */
    public Channels payout(PayoutStrategy value, String usd) {
        this.strategy = value;
        this.threshold = usd == null ? null : new BigDecimal(usd);
        return this;
    }

    public Channels threshold(String usd) {
        this.strategy = PayoutStrategy.THRESHOLD;
        this.threshold = new BigDecimal(usd);
        return this;
    }

    public Channels updatedAt(Instant value) {
        this.updatedAt = value;
        return this;
    }

    public long openChannelId() {
        return openChannelId;
    }

    public String key() {
        return Long.toString(openChannelId);
    }

    public ChannelMapping build() {
        return new ChannelMapping(openChannelId, closedChannelId, wallet, currency, network, sub1Price, sub1Time,
                sub2Price, sub2Time, sub3Price, sub3Time, strategy, threshold, updatedAt);
    }

    /** Sets the row's columns on an INSERT with the parameters of {@link #INSERT_SQL}, in order. */
    public Object[] insertParameters() {
        return new Object[] {openChannelId, closedChannelId, wallet, currency, network, sub1Price, sub1Time,
            sub2Price, sub2Time, sub3Price, sub3Time, strategy.word(), threshold};
    }

    /** updated_at is left to the V2 trigger. */
    public static final String INSERT_SQL = "INSERT INTO main_clients_database (open_channel_id,"
            + " closed_channel_id, client_wallet_address, client_payout_currency, client_payout_network,"
            + " sub_1_price, sub_1_time, sub_2_price, sub_2_time, sub_3_price, sub_3_time, payout_strategy,"
            + " payout_threshold_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}
