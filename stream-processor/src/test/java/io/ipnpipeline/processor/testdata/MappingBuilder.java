package io.ipnpipeline.processor.testdata;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds channel registry rows: by default three tiers, 2.50/30 d, 5.00/90 d, 9.99/365 d, instant payout. */
public final class MappingBuilder {

    public static final long CHANNEL = -1003253338212L;
    public static final long PRIVATE_CHANNEL = -1002098765432L;

    private long openChannelId = CHANNEL;
    private long closedChannelId = PRIVATE_CHANNEL;
    private PayoutStrategy strategy = PayoutStrategy.INSTANT;
    private final String[] prices = {"2.50", "5.00", "9.99"};
    private final int[] days = {30, 90, 365};

    private MappingBuilder() {
    }

    public static MappingBuilder aMapping() {
        return new MappingBuilder();
    }

    public MappingBuilder openChannel(long id) {
        this.openChannelId = id;
        return this;
    }

    public MappingBuilder closedChannel(long id) {
        this.closedChannelId = id;
        return this;
    }

    public MappingBuilder strategy(PayoutStrategy value) {
        this.strategy = value;
        return this;
    }

    /** Sets tier {@code index} (1 to 3) to {@code price} USD for {@code tierDays} days. */
    public MappingBuilder tier(int index, String price, int tierDays) {
        prices[index - 1] = price;
        days[index - 1] = tierDays;
        return this;
    }

    public String key() {
        return Long.toString(openChannelId);
    }

    public ChannelMapping build() {
        return new ChannelMapping(openChannelId, closedChannelId, "TXYZwalletAddress0001", "usdt", "trx",
                new BigDecimal(prices[0]), days[0], new BigDecimal(prices[1]), days[1],
                new BigDecimal(prices[2]), days[2],
                strategy, strategy == PayoutStrategy.THRESHOLD ? new BigDecimal("50.00") : null,
                Instant.parse("2025-01-01T00:00:00Z"));
    }
}
