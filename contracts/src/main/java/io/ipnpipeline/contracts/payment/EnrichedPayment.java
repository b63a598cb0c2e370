package io.ipnpipeline.contracts.payment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One accepted status change of a payment, as the processor emits it on {@code payments.enriched}
 * (key: payment_id). It carries everything the sink needs for the ledger, the subscription row and both
 * commands, so the sink never queries the registry.
 *
 * <p>Placement fields ({@code privateChannelId} .. {@code payoutStrategy}) are null when the payment could not be
 * placed: {@code statusWord} is then {@link StatusWord#NEEDS_REVIEW} (with {@code reviewReason}) or
 * {@link StatusWord#AWAITING_MAPPING}. {@code userId} and {@code openChannelId} are set whenever the order id
 * could be parsed, placed or not: the status API finds a payment by them. A needs_review payment whose channel
 * mapping was found keeps {@code privateChannelId} too, so the sink can show needs_review on the customer's
 * existing subscription row; it is still not placed.
 */
public record EnrichedPayment(
        long paymentId,
        PaymentStatus status,
        StatusWord statusWord,
        String reviewReason,
        String orderId,
        Long userId,
        Long openChannelId,
        Long privateChannelId,
        Integer tierIndex,
        Integer subscriptionDays,
        BigDecimal subscriptionPrice,
        String clientWalletAddress,
        String clientPayoutCurrency,
        String clientPayoutNetwork,
        PayoutStrategy payoutStrategy,
        BigDecimal payoutThresholdUsd,
        Long parentPaymentId,
        Long invoiceId,
        String payAddress,
        BigDecimal priceAmount,
        String priceCurrency,
        BigDecimal payAmount,
        BigDecimal actuallyPaid,
        String payCurrency,
        BigDecimal outcomeAmount,
        String outcomeCurrency,
        Instant nowpaymentsCreatedAt,
        Instant nowpaymentsUpdatedAt,
        Instant receivedAt,
        String rawIpn) {

    public EnrichedPayment {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusWord, "statusWord");
        Objects.requireNonNull(rawIpn, "rawIpn");
    }

    /** The ledger's {@code status_rank}: see {@link Progress}. */
    @JsonIgnore
    public int progressRank() {
        return Progress.rank(status, statusWord);
    }

    /** Mapped, tiered and with a payout target: the only records that may produce commands. */
    @JsonIgnore
    public boolean isPlaced() {
        return statusWord != StatusWord.AWAITING_MAPPING && statusWord != StatusWord.NEEDS_REVIEW
                && userId != null && privateChannelId != null && subscriptionDays != null;
    }
}
