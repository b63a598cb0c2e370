package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.Tier;
import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.StatusWord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Steps 5 and 6: resolve the tier and build the record for {@code payments.enriched}. Pure functions. */
final class Enrichment {

    static final String NO_TIER = "price matches no tier";
    static final String NOT_USD = "price_currency is not USD";
    static final String NEGATIVE_AMOUNT = "negative amount";

    private Enrichment() {
    }

    /** Placed with its tier, or needs_review when the price is not a USD price of one of the channel's tiers. */
    static EnrichedPayment place(Ipn ipn, Instant receivedAt, OrderId orderId, ChannelMapping mapping) {
        // an authentic IPN with a negative amount is a NOWPayments bug or a forged secret: never pay out on it
        if (anyNegative(ipn.priceAmount(), ipn.payAmount(), ipn.actuallyPaid(), ipn.outcomeAmount())) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NEGATIVE_AMOUNT);
        }
        if (!"usd".equals(ipn.priceCurrency() == null ? null : ipn.priceCurrency().strip().toLowerCase(Locale.ROOT))) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NOT_USD);
        }
        Optional<Tier> tier = mapping.tierFor(ipn.priceAmount());
        if (tier.isEmpty()) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NO_TIER);
        }
        return new EnrichedPayment(ipn.paymentId(), ipn.status(), StatusWord.forPlaced(ipn.status()), null,
                ipn.orderId(), orderId.userId(), orderId.openChannelId(), mapping.closedChannelId(),
                tier.get().index(), tier.get().days(), tier.get().priceUsd(),
                mapping.clientWalletAddress(), mapping.clientPayoutCurrency(), mapping.clientPayoutNetwork(),
                mapping.payoutStrategy(), mapping.payoutThresholdUsd(),
                ipn.parentPaymentId(), ipn.invoiceId(), ipn.payAddress(), ipn.priceAmount(), ipn.priceCurrency(),
                ipn.payAmount(), ipn.actuallyPaid(), ipn.payCurrency(), ipn.outcomeAmount(), ipn.outcomeCurrency(),
                ipn.createdAt(), ipn.updatedAt(), receivedAt, ipn.rawJson());
    }

    private static boolean anyNegative(BigDecimal... amounts) {
        for (BigDecimal amount : amounts) {
            if (amount != null && amount.signum() < 0) {
                return true;
            }
        }
        return false;
    }

    static EnrichedPayment awaitingMapping(Ipn ipn, Instant receivedAt, OrderId orderId) {
        return unplaced(ipn, receivedAt, orderId, null, StatusWord.AWAITING_MAPPING, null);
    }

    /** For a payment whose order id could not be parsed: nobody is known to show it to. */
    static EnrichedPayment needsReview(Ipn ipn, Instant receivedAt, String reason) {
        return unplaced(ipn, receivedAt, null, null, StatusWord.NEEDS_REVIEW, reason);
    }

    /**
     * A payment whose channel is known but which may not be placed (no tier, not USD, a negative amount). The
     * private channel stays set, so the sink can show needs_review on the customer's existing subscription row
     * (a bot's {@code pending} row must not stay pending for a paid payment held for review); the rest of the
     * placement stays null, so nothing is created, activated or paid out on it.
     */
    static EnrichedPayment heldForReview(Ipn ipn, Instant receivedAt, OrderId orderId, ChannelMapping mapping,
            String reason) {
        return unplaced(ipn, receivedAt, orderId, mapping.closedChannelId(), StatusWord.NEEDS_REVIEW, reason);
    }

    /**
     * The rest of the placement fields stay null, as {@link EnrichedPayment} promises for a payment that is not
     * placed (only a known private channel is kept); the user and open channel of a parsed order id are kept, because the status API finds a payment by
     * them and the customer must see awaiting_mapping or needs_review, not pending.
     */
    private static EnrichedPayment unplaced(Ipn ipn, Instant receivedAt, OrderId orderId, Long privateChannelId,
            StatusWord word, String reason) {
        return new EnrichedPayment(ipn.paymentId(), ipn.status(), word, reason, ipn.orderId(),
                orderId == null ? null : orderId.userId(), orderId == null ? null : orderId.openChannelId(),
                privateChannelId, null, null, null, null, null, null, null, null,
                ipn.parentPaymentId(), ipn.invoiceId(), ipn.payAddress(), ipn.priceAmount(), ipn.priceCurrency(),
                ipn.payAmount(), ipn.actuallyPaid(), ipn.payCurrency(), ipn.outcomeAmount(), ipn.outcomeCurrency(),
                ipn.createdAt(), ipn.updatedAt(), receivedAt, ipn.rawJson());
    }
}
