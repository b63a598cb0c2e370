package io.ipnpipeline.registry.table;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.mapping.Tier;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What a row must hold before the processor may pay with it. The columns' NOT NULL constraints are not enough:
 * an empty wallet, payout currency or network would be paid to nowhere, a threshold strategy without a positive
 * threshold never (or always) pays, a tier of price 0 or less sells a subscription for nothing, and a tier of more
 * than a hundred years' days overflows the sink's {@code expires_at} arithmetic (PostgreSQL refuses the timestamp,
 * so every finished payment of that tier would be dead-lettered instead of invited). Such a row is
 * not published; its channel keeps the last published value. Reasons name the column, never its value (a wallet
 * must not reach a log line).
 */
public final class UsableRow {

    /** A hundred years, leap days included: far beyond any subscription, far below PostgreSQL's last timestamp. */
    static final int MAX_DAYS = 36_525;

    private UsableRow() {
    }

    /** Why {@code row} must not be published, or empty when it may be. */
    public static Optional<String> problem(ChannelMapping row) {
        if (blank(row.clientWalletAddress())) {
            return Optional.of("client_wallet_address is empty");
        }
        if (blank(row.clientPayoutCurrency())) {
            return Optional.of("client_payout_currency is empty");
        }
        if (blank(row.clientPayoutNetwork())) {
            return Optional.of("client_payout_network is empty");
        }
        Optional<String> tier = firstUnsellableTier(row);
        if (tier.isPresent()) {
            return tier;
        }
        if (row.payoutStrategy() == PayoutStrategy.THRESHOLD && !positive(row.payoutThresholdUsd())) {
            return Optional.of("payout_strategy is threshold but payout_threshold_usd is not a positive amount");
        }
        return Optional.empty();
    }

    /**
     * Checks only the tiers {@link ChannelMapping#tiers()} builds (price and a positive day count): a bot that writes
     * 0.00 or NULL days into an unused tier's columns offers no such tier, and that row must stay publishable.
     */
    private static Optional<String> firstUnsellableTier(ChannelMapping row) {
        for (Tier tier : row.tiers()) {
            if (!positive(tier.priceUsd())) {
                return Optional.of("sub_" + tier.index() + "_price is not a positive amount");
            }
            if (tier.days() > MAX_DAYS) {
                return Optional.of("sub_" + tier.index() + "_time is more than " + MAX_DAYS + " days");
            }
        }
        return Optional.empty();
    }

    private static boolean positive(BigDecimal amount) {
        return amount != null && amount.signum() > 0;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
