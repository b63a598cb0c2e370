package io.ipnpipeline.contracts.mapping;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code main_clients_database} as published on {@code channel.mappings} (key: open_channel_id).
 * Field names are the registry's column names, so a Debezium-fed topic can carry the same value.
 */
public record ChannelMapping(
        long openChannelId,
        long closedChannelId,
        String clientWalletAddress,
        String clientPayoutCurrency,
        String clientPayoutNetwork,
        @JsonProperty("sub_1_price") BigDecimal sub1Price,
        @JsonProperty("sub_1_time") Integer sub1Time,
        @JsonProperty("sub_2_price") BigDecimal sub2Price,
        @JsonProperty("sub_2_time") Integer sub2Time,
        @JsonProperty("sub_3_price") BigDecimal sub3Price,
        @JsonProperty("sub_3_time") Integer sub3Time,
        PayoutStrategy payoutStrategy,
        BigDecimal payoutThresholdUsd,
        Instant updatedAt) {

    public ChannelMapping {
        Objects.requireNonNull(clientWalletAddress, "client_wallet_address");
        Objects.requireNonNull(payoutStrategy, "payout_strategy");
    }

    /** The tiers that are set, in order. */
    @JsonIgnore
    public List<Tier> tiers() {
        List<Tier> tiers = new ArrayList<>(3);
        addTier(tiers, 1, sub1Price, sub1Time);
        addTier(tiers, 2, sub2Price, sub2Time);
        addTier(tiers, 3, sub3Price, sub3Time);
        return List.copyOf(tiers);
    }

    /**
     * The tier whose price equals {@code priceUsd} to the cent, when that tells how many days were bought: empty
     * when no tier has the price, and also when several tiers have it with different days (5.00 for 30 days and
     * 5.00 for 90 days), since the price alone cannot say which one the customer chose. See {@link #tiersFor}.
     */
    public Optional<Tier> tierFor(BigDecimal priceUsd) {
        List<Tier> matches = tiersFor(priceUsd);
        return isAmbiguous(matches) ? Optional.empty() : matches.stream().findFirst();
    }

    /**
     * Every tier whose price equals {@code priceUsd} to the cent, in order. A price with fractions of a cent is
     * rounded half-up first, so 2.499999 from a float-minded client still pays for the 2.50 tier.
     */
    public List<Tier> tiersFor(BigDecimal priceUsd) {
        if (priceUsd == null) {
            return List.of();
        }
        BigDecimal cents = priceUsd.setScale(2, RoundingMode.HALF_UP);
        return tiers().stream()
                .filter(tier -> tier.priceUsd().setScale(2, RoundingMode.HALF_UP).compareTo(cents) == 0)
                .toList();
    }

    /** Whether matching tiers disagree on the days; tiers with the same price and the same days are one offer. */
    public static boolean isAmbiguous(List<Tier> matches) {
        return matches.stream().map(Tier::days).distinct().count() > 1;
    }

    private static void addTier(List<Tier> tiers, int index, BigDecimal price, Integer days) {
        if (price != null && days != null && days > 0) {
            tiers.add(new Tier(index, price, days));
        }
    }
}
