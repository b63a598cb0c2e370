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
     * A subscription row as the order status rule (contracts {@code OrderStatusRule}) leaves it. Its word is the
     * word of the payment whose change was applied last, which the model cannot know (payments' IPNs interleave),
     * so it is one of {@link #possibleStatuses()}: the final words of the order's payments that did not end unpaid
     * (including a review payment's {@code needs_review}), or, when all of them ended failed or expired, theirs.
     * {@code subTime} is the tier of the payment that carries the row's other columns: a paid payment (finished or
     * refunded) before an unpaid one, then the higher payment_id; {@code totalDays} is what expires_at must have been
     * extended by.
     */
    public record SubscriptionRow(Set<String> possibleStatuses, int subTime, boolean active, int totalDays) {
    }

    /** What the model gathers per (user, private channel) before it can say which words are possible. */
    private record Order(Set<String> wordsNotEndedUnpaid, Set<String> wordsEndedUnpaid, int subTime,
            boolean carrierPaid, long carrierPaymentId, boolean placed, boolean active, int totalDays) {

        static Order of(PlannedPayment plan, PaymentStatus status, StatusWord word) {
            boolean placedPayment = plan.kind() == Kind.PLACED;
            boolean endedUnpaid = status == PaymentStatus.FAILED || status == PaymentStatus.EXPIRED;
            Set<String> words = new TreeSet<>(Set.of(word.word()));
            if (!placedPayment) {
                // a review payment only rewrites an existing row's word; it carries no columns and buys nothing
                return new Order(words, new TreeSet<>(), 0, false, Long.MIN_VALUE, false, false, 0);
            }
            boolean finished = status == PaymentStatus.FINISHED;
            boolean paid = finished || status == PaymentStatus.REFUNDED;
            int days = TestChannel.daysFor(plan.priceUsd()).orElseThrow();
            return new Order(endedUnpaid ? new TreeSet<>() : words, endedUnpaid ? words : new TreeSet<>(), days, paid,
                    plan.paymentId(), true, finished, finished ? days : 0);
        }

        Order merge(Order other) {
            Set<String> notEndedUnpaid = new TreeSet<>(wordsNotEndedUnpaid);
            notEndedUnpaid.addAll(other.wordsNotEndedUnpaid);
            Set<String> endedUnpaid = new TreeSet<>(wordsEndedUnpaid);
            endedUnpaid.addAll(other.wordsEndedUnpaid);
            Order carrier = other.carriesRatherThan(this) ? other : this;
            return new Order(notEndedUnpaid, endedUnpaid, carrier.subTime, carrier.carrierPaid,
                    carrier.carrierPaymentId, placed || other.placed, active || other.active, totalDays + other.totalDays);
        }

        /** The sink's rule for the carried columns: placed before review, paid before unpaid, then the higher id. */
        private boolean carriesRatherThan(Order current) {
            if (placed != current.placed) {
                return placed;
            }
            if (carrierPaid != current.carrierPaid) {
                return carrierPaid;
            }
            return carrierPaymentId > current.carrierPaymentId;
        }

        SubscriptionRow row() {
            return new SubscriptionRow(wordsNotEndedUnpaid.isEmpty() ? wordsEndedUnpaid : wordsNotEndedUnpaid, subTime,
                    active, totalDays);
        }
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
        Map<SubscriptionKey, Order> orders = new TreeMap<>();
        Set<Long> commanded = new TreeSet<>();
        furthest.forEach((paymentId, status) -> {
            PlannedPayment plan = plans.get(paymentId);
            StatusWord word = word(plan.kind(), status);
            payments.put(paymentId, new PaymentRow(status.wire(), word.word(), Progress.rank(status, word)));
            if (plan.kind() == Kind.PLACED && status == PaymentStatus.FINISHED) {
                commanded.add(paymentId);
            }
            if (plan.kind() == Kind.PLACED || plan.kind() == Kind.NO_TIER) {
                orders.merge(new SubscriptionKey(plan.userId(), plan.channel().closedChannelId()),
                        Order.of(plan, status, word), Order::merge);
            }
        });
        Map<SubscriptionKey, SubscriptionRow> subscriptions = new TreeMap<>();
        // only a placed payment creates the row; a review payment alone leaves none
        orders.forEach((key, order) -> {
            if (order.placed()) {
                subscriptions.put(key, order.row());
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
