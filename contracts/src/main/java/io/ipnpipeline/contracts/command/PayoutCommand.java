package io.ipnpipeline.contracts.command;

import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import java.math.BigDecimal;

/** On {@code commands.payout} (key: payment_id): pay the channel's client for this payment, once. */
public record PayoutCommand(
        String commandId,
        long paymentId,
        long privateChannelId,
        String clientWalletAddress,
        String clientPayoutCurrency,
        String clientPayoutNetwork,
        PayoutStrategy payoutStrategy,
        BigDecimal outcomeAmount,
        String outcomeCurrency,
        BigDecimal priceAmount,
        String priceCurrency) {
}
