package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.OrderStatusRule;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one batch does to one (user, private channel) row.
 *
 * <p>{@code payment} is the payment whose fields the row carries: a paid one (finished or refunded) before an unpaid
 * one, then the highest payment_id, so an abandoned or renewal invoice never replaces the subscription's paid
 * payment, and an older payment's late status never replaces a newer payment's fields. The row's word is not
 * taken from it but from {@code shown}: by {@link OrderStatusRule}, the payment the order shows is the one changed
 * last, and every change of this batch is the last (the ledger stamps them all with the batch's time of change), so
 * of the batch's payments of the row the rule's same-instant order picks it. Only when all of them ended unpaid
 * (failed, expired) may an older payment show instead: {@code needsLedger}, and the statement asks the ledger.
 *
 * <p>{@code addDays}: the sum over every payment that made its first transition to finished in this transaction,
 * so two renewals in one batch both count. {@code reviewOnly}: the batch has only a needs_review payment for the
 * row (its channel is known, its tier is not), which may change the word of an existing row, never create or
 * activate one.
 */
record SubscriptionChange(EnrichedPayment payment, int addDays, boolean reviewOnly, EnrichedPayment shown) {

    record Key(long userId, long privateChannelId) {
    }

    Key key() {
        return new Key(payment.userId(), payment.privateChannelId());
    }

    /** The batch's shown payment ended unpaid: whether another payment of the order shows is the ledger's to say. */
    boolean needsLedger() {
        return OrderStatusRule.endedUnpaid(shown.status());
    }

    /** Accepted ledger changes in statement order (a later change of the same payment is further along). */
    static List<SubscriptionChange> from(List<AcceptedChange> accepted) {
        Map<Key, EnrichedPayment> carried = new LinkedHashMap<>();
        Map<Key, Integer> days = new LinkedHashMap<>();
        Map<Key, EnrichedPayment> reviews = new LinkedHashMap<>();
        Map<Key, EnrichedPayment> shown = new LinkedHashMap<>();
        for (AcceptedChange change : accepted) {
            showIfKeyed(shown, change.row().latest());
            EnrichedPayment placed = change.row().placedView();
            if (placed == null) {
                reviewWithChannel(change.row().latest()).ifPresent(review -> reviews.put(keyOf(review), review));
                continue;
            }
            Key key = keyOf(placed);
            carried.merge(key, placed, (old, candidate) -> outranks(candidate, old) ? candidate : old);
            int add = change.finishedNow() ? change.row().finishing().subscriptionDays() : 0;
            days.merge(key, add, Integer::sum);
        }
        List<SubscriptionChange> changes = new ArrayList<>(carried.size() + reviews.size());
        carried.forEach((key, payment) -> changes.add(
                new SubscriptionChange(payment, days.get(key), false, shown.getOrDefault(key, payment))));
        reviews.forEach((key, review) -> {
            if (!carried.containsKey(key)) {
                changes.add(new SubscriptionChange(review, 0, true, shown.getOrDefault(key, review)));
            }
        });
        return changes;
    }

    /**
     * Keeps, per row, the batch's payment the rule shows. The ledger holds each payment's latest record, and a
     * later change of a payment is further along, so it replaces that payment's earlier one.
     */
    private static void showIfKeyed(Map<Key, EnrichedPayment> shown, EnrichedPayment latest) {
        if (latest.userId() == null || latest.privateChannelId() == null) {
            return;
        }
        shown.merge(keyOf(latest), latest, (old, candidate) -> candidate.paymentId() == old.paymentId()
                || OrderStatusRule.shows(candidate.status(), candidate.statusWord(), candidate.paymentId(),
                        old.status(), old.statusWord(), old.paymentId()) ? candidate : old);
    }

    /** The Java twin of the statement's {@code (paid, payment_id) >=} comparison. */
    static boolean outranks(EnrichedPayment candidate, EnrichedPayment current) {
        boolean candidatePaid = isPaid(candidate.status());
        boolean currentPaid = isPaid(current.status());
        if (candidatePaid != currentPaid) {
            return candidatePaid;
        }
        return candidate.paymentId() >= current.paymentId();
    }

    static boolean isPaid(PaymentStatus status) {
        return status == PaymentStatus.FINISHED || status == PaymentStatus.REFUNDED;
    }

    private static Optional<EnrichedPayment> reviewWithChannel(EnrichedPayment payment) {
        return payment.userId() != null && payment.privateChannelId() != null && payment.openChannelId() != null
                ? Optional.of(payment) : Optional.empty();
    }

    private static Key keyOf(EnrichedPayment payment) {
        return new Key(payment.userId(), payment.privateChannelId());
    }
}
