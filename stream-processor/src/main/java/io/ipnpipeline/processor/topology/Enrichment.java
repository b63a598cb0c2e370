package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.Tier;
import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.StatusWord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Steps 5 and 6: resolve the tier and build the record for {@code payments.enriched}. Pure functions. */
final class Enrichment {

    static final String NO_TIER = "price matches no tier";
    static final String NOT_USD = "price_currency is not USD";
    static final String NEGATIVE_AMOUNT = "negative amount";
    static final String AMBIGUOUS_TIER = "price matches several tiers";
    static final String NO_PAYOUT_AMOUNT = "finished without a payout amount (outcome_amount, outcome_currency)";
    static final String REPEATED_DEPOSIT = "repeated deposit to payment ";

    private Enrichment() {
    }

    /**
     * Placed with its tier, or needs_review when it may not be placed automatically: a repeated deposit, a
     * negative amount, a price that is not a USD price of exactly one of the channel's offers, or a finish that
     * carries nothing to pay out.
     */
    static EnrichedPayment place(Ipn ipn, Instant receivedAt, OrderId orderId, ChannelMapping mapping) {
        return place(ipn, receivedAt, orderId, mapping, false);
    }

    /**
     * As {@link #place(Ipn, Instant, OrderId, ChannelMapping)}; {@code repeatedDepositAccepted}: an operator decided
     * to place this repeated deposit as a payment of its own (checked by the caller against the record's
     * provenance), so it is placed like any payment: its own payment_id, its own price matched to a tier.
     */
    static EnrichedPayment place(Ipn ipn, Instant receivedAt, OrderId orderId, ChannelMapping mapping,
            boolean repeatedDepositAccepted) {
        // NOWPayments makes a second deposit to the same address its own payment, with the parent's order id and
        // price: placing it would invite, extend and pay out a second time for what may be an overpayment or a
        // mistake, so an operator decides
        if (ipn.parentPaymentId() != null && !repeatedDepositAccepted) {
            return heldForReview(ipn, receivedAt, orderId, mapping, REPEATED_DEPOSIT + ipn.parentPaymentId());
        }
        // an authentic IPN with a negative amount is a NOWPayments bug or a forged secret: never pay out on it
        if (anyNegative(ipn.priceAmount(), ipn.payAmount(), ipn.actuallyPaid(), ipn.outcomeAmount())) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NEGATIVE_AMOUNT);
        }
        if (!"usd".equals(ipn.priceCurrency() == null ? null : ipn.priceCurrency().strip().toLowerCase(Locale.ROOT))) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NOT_USD);
        }
        List<Tier> tiers = mapping.tiersFor(ipn.priceAmount());
        if (tiers.isEmpty()) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NO_TIER);
        }
        // two offers at one price with different days: the price cannot tell which the customer bought
        if (ChannelMapping.isAmbiguous(tiers)) {
            return heldForReview(ipn, receivedAt, orderId, mapping, AMBIGUOUS_TIER);
        }
        // the sink issues the payout on the first placed finished record, with these two as its amount; earlier
        // statuses legitimately lack them, and their placement is what a later finished record is compared with
        if (ipn.status() == PaymentStatus.FINISHED && !hasPayoutAmount(ipn)) {
            return heldForReview(ipn, receivedAt, orderId, mapping, NO_PAYOUT_AMOUNT);
        }
        Tier tier = tiers.get(0);
        return new EnrichedPayment(ipn.paymentId(), ipn.status(), StatusWord.forPlaced(ipn.status()), null,
                ipn.orderId(), orderId.userId(), orderId.openChannelId(), mapping.closedChannelId(),
                tier.index(), tier.days(), tier.priceUsd(),
                mapping.clientWalletAddress(), mapping.clientPayoutCurrency(), mapping.clientPayoutNetwork(),
                mapping.payoutStrategy(), mapping.payoutThresholdUsd(),
                ipn.parentPaymentId(), ipn.invoiceId(), ipn.payAddress(), ipn.priceAmount(), ipn.priceCurrency(),
                ipn.payAmount(), ipn.actuallyPaid(), ipn.payCurrency(), ipn.outcomeAmount(), ipn.outcomeCurrency(),
                ipn.createdAt(), ipn.updatedAt(), receivedAt, ipn.rawJson());
    }

    private static boolean hasPayoutAmount(Ipn ipn) {
        return ipn.outcomeAmount() != null && ipn.outcomeAmount().signum() > 0 && ipn.outcomeCurrency() != null
                && !ipn.outcomeCurrency().isBlank();
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
     * A payment whose channel is known but which may not be placed (see {@link #place}). The
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
