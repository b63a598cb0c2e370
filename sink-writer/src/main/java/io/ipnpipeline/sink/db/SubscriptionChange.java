package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch does to one (user, private channel) row: the newest payment's fields (highest payment_id,
 * so an older payment's late status never overwrites a newer payment's word) and the days to add: the sum over
 * every payment that made its first transition to finished in this transaction, so two renewals in one batch
 * both count.
 */
record SubscriptionChange(EnrichedPayment newest, int addDays) {

    record Key(long userId, long privateChannelId) {
    }

    Key key() {
        return new Key(newest.userId(), newest.privateChannelId());
    }

    /** Accepted ledger changes in statement order (a later change of the same payment is further along). */
    static List<SubscriptionChange> from(List<AcceptedChange> accepted) {
        Map<Key, EnrichedPayment> newest = new LinkedHashMap<>();
        Map<Key, Integer> days = new LinkedHashMap<>();
        for (AcceptedChange change : accepted) {
            EnrichedPayment placed = change.row().placedView();
            if (placed == null) {
                continue;
            }
            Key key = new Key(placed.userId(), placed.privateChannelId());
            newest.merge(key, placed, (old, candidate) -> candidate.paymentId() >= old.paymentId() ? candidate : old);
            int add = change.finishedNow() ? change.row().finishing().subscriptionDays() : 0;
            days.merge(key, add, Integer::sum);
        }
        List<SubscriptionChange> changes = new ArrayList<>(newest.size());
        newest.forEach((key, payment) -> changes.add(new SubscriptionChange(payment, days.get(key))));
        return changes;
    }
}
