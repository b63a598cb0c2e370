package io.ipnpipeline.reliability.model;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.reliability.traffic.Ledger;
import io.ipnpipeline.reliability.traffic.PlannedPayment;
import io.ipnpipeline.reliability.traffic.PlannedPayment.Kind;
import io.ipnpipeline.reliability.traffic.TestChannel;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What PostgreSQL and the command topics must hold, computed from the acknowledged IPNs alone (never from what
 * the pipeline did): per payment the furthest status its IPNs reached and where it belongs; per (user, private
 * channel) the subscription; the payments that must have exactly one invite and one payout.
 */
public record ExpectedState(Map<Long, PaymentRow> payments, Map<SubscriptionKey, SubscriptionRow> subscriptions,
        Set<Long> deadLettered, Set<Long> commanded) {

    /** A payments ledger row as the model sees it. */
    public record PaymentRow(String status, String statusWord, int statusRank) {
    }

    public record SubscriptionKey(long userId, long privateChannelId) implements Comparable<SubscriptionKey> {
        @Override
        public int compareTo(SubscriptionKey other) {
            return Comparator.comparingLong(SubscriptionKey::userId)
                    .thenComparingLong(SubscriptionKey::privateChannelId).compare(this, other);
        }
    }

    /**
     * A subscription row: the newest payment's word and tier days ({@code subTime}), whether it is active, and
     * the days all its finished payments bought ({@code totalDays}, what expires_at must have been extended by).
     */
    public record SubscriptionRow(String paymentStatus, int subTime, boolean active, int totalDays,
            long newestPaymentId) {
    }

    public static ExpectedState from(Ledger ledger) {
        return from(ledger.acknowledged());
    }

    public static ExpectedState from(Collection<Ledger.Acknowledged> acknowledged) {
        Map<Long, PlannedPayment> plans = new TreeMap<>();
        Map<Long, PaymentStatus> furthest = new TreeMap<>();
        Set<Long> deadLettered = new TreeSet<>();
        for (Ledger.Acknowledged ack : acknowledged) {
            PlannedPayment plan = ack.payment();
            plans.put(plan.paymentId(), plan);
            if (plan.kind() == Kind.DEAD_LETTER) {
                deadLettered.add(plan.paymentId());
                continue;
            }
            PaymentStatus status = PaymentStatus.fromWire(ack.status()).orElseThrow();
            // the stories are order-independent, so the furthest status is the highest rank
            furthest.merge(plan.paymentId(), status, (a, b) -> b.rank() > a.rank() ? b : a);
        }
        Map<Long, PaymentRow> payments = new TreeMap<>();
        Map<SubscriptionKey, SubscriptionRow> subscriptions = new TreeMap<>();
        Set<Long> commanded = new TreeSet<>();
        furthest.forEach((paymentId, status) -> {
            PlannedPayment plan = plans.get(paymentId);
            StatusWord word = word(plan.kind(), status);
            payments.put(paymentId, new PaymentRow(status.wire(), word.word(), Progress.rank(status, word)));
            if (plan.kind() == Kind.PLACED) {
                boolean finished = status == PaymentStatus.FINISHED;
                if (finished) {
                    commanded.add(paymentId);
                }
                subscribe(subscriptions, plan, word, finished);
            }
        });
        return new ExpectedState(payments, subscriptions, deadLettered, commanded);
    }

    private static StatusWord word(Kind kind, PaymentStatus status) {
        return switch (kind) {
            case PLACED -> StatusWord.forPlaced(status);
            case UNMAPPED -> StatusWord.AWAITING_MAPPING;
            case BAD_ORDER, NO_TIER -> StatusWord.NEEDS_REVIEW;
            case DEAD_LETTER -> throw new IllegalArgumentException("dead letters have no ledger row");
        };
    }

    private static void subscribe(Map<SubscriptionKey, SubscriptionRow> subscriptions, PlannedPayment plan,
            StatusWord word, boolean finished) {
        int days = TestChannel.daysFor(plan.priceUsd()).orElseThrow();
        SubscriptionKey key = new SubscriptionKey(plan.userId(), plan.channel().closedChannelId());
        SubscriptionRow mine = new SubscriptionRow(word.word(), days, finished, finished ? days : 0, plan.paymentId());
        subscriptions.merge(key, mine, (a, b) -> {
            SubscriptionRow newest = a.newestPaymentId() > b.newestPaymentId() ? a : b;
            return new SubscriptionRow(newest.paymentStatus(), newest.subTime(), a.active() || b.active(),
                    a.totalDays() + b.totalDays(), newest.newestPaymentId());
        });
    }

    public long count(String statusWord) {
        return payments.values().stream().filter(row -> row.statusWord().equals(statusWord)).count();
    }

    @Override
    public String toString() {
        return "expected payments=" + payments.size() + " (confirmed=" + count("confirmed") + ", awaiting_mapping="
                + count("awaiting_mapping") + ", needs_review=" + count("needs_review") + ") subscriptions="
                + subscriptions.size() + " dead_lettered=" + deadLettered.size() + " commanded=" + commanded.size();
    }
}
