package io.ipnpipeline.reliability.traffic;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.reliability.traffic.PlannedPayment.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded, reproducible traffic: payments of every kind, each with the IPNs NOWPayments would send (some
 * repeated, in shuffled order). Every story is one whose outcome does not depend on arrival order (a chain of
 * forward statuses, or a chain cut off by failed/expired before finished), so the expected state can be
 * computed from the IPNs alone however the faults reorder them.
 */
public final class PaymentPlans {

    /** Channels 1..{@value} are registered by {@link #registerChannels}; 900+ never are. */
    public static final int MAPPED_CHANNELS = 8;

    private static final List<PaymentStatus> CHAIN = List.of(PaymentStatus.WAITING, PaymentStatus.CONFIRMING,
            PaymentStatus.CONFIRMED, PaymentStatus.SENDING);

    private final Random random;
    private final long firstPaymentId;
    private final int users;
    private int next;

    public PaymentPlans(long seed, long firstPaymentId, int users) {
        this.random = new Random(seed);
        this.firstPaymentId = firstPaymentId;
        this.users = users;
    }

    public static List<TestChannel> mappedChannels() {
        List<TestChannel> channels = new ArrayList<>();
        for (int n = 1; n <= MAPPED_CHANNELS; n++) {
            channels.add(TestChannel.number(n));
        }
        return channels;
    }

    public static void registerChannels(javax.sql.DataSource database) throws java.sql.SQLException {
        for (TestChannel channel : mappedChannels()) {
            channel.upsert(database);
        }
    }

    /** {@code count} payments of the usual mix: mostly placed, some parked, some for review, a few dead letters. */
    public List<PlannedPayment> mixed(int count) {
        List<PlannedPayment> payments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(100);
            Kind kind = roll < 72 ? Kind.PLACED : roll < 82 ? Kind.UNMAPPED : roll < 89 ? Kind.BAD_ORDER
                    : roll < 95 ? Kind.NO_TIER : Kind.DEAD_LETTER;
            payments.add(payment(kind));
        }
        return payments;
    }

    /** {@code count} placed payments that all finish: each must give exactly one invite and one payout. */
    public List<PlannedPayment> finishing(int count, List<TestChannel> channels) {
        List<PlannedPayment> payments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TestChannel channel = channels.get(random.nextInt(channels.size()));
            payments.add(new PlannedPayment(nextId(), user(), channel, Kind.PLACED, tierPrice(),
                    withRepeats(story(PaymentStatus.FINISHED))));
        }
        return payments;
    }

    public PlannedPayment payment(Kind kind) {
        long id = nextId();
        TestChannel channel = kind == Kind.UNMAPPED
                ? TestChannel.number(900 + random.nextInt(4))
                : TestChannel.number(1 + random.nextInt(MAPPED_CHANNELS));
        BigDecimal price = kind == Kind.NO_TIER ? new BigDecimal("3.33") : tierPrice();
        List<String> statuses = kind == Kind.DEAD_LETTER ? List.of("bogus_status") : withRepeats(randomStory());
        return new PlannedPayment(id, user(), channel, kind, price, statuses);
    }

    private long nextId() {
        return firstPaymentId + next++;
    }

    private long user() {
        return 7_000_000_000L + random.nextInt(users);
    }

    private BigDecimal tierPrice() {
        return random.nextInt(4) == 0 ? TestChannel.TIER_2_PRICE : TestChannel.TIER_1_PRICE;
    }

    private List<PaymentStatus> randomStory() {
        int roll = random.nextInt(100);
        PaymentStatus last = roll < 55 ? PaymentStatus.FINISHED
                : roll < 75 ? CHAIN.get(random.nextInt(CHAIN.size()))
                : roll < 85 ? PaymentStatus.PARTIALLY_PAID
                : roll < 93 ? PaymentStatus.FAILED : PaymentStatus.EXPIRED;
        return story(last);
    }

    /** Some forward steps before {@code last}, always including it. */
    private List<PaymentStatus> story(PaymentStatus last) {
        List<PaymentStatus> story = new ArrayList<>();
        for (PaymentStatus step : CHAIN) {
            if (step.rank() < last.rank() && step != last && random.nextBoolean()) {
                story.add(step);
            }
        }
        story.add(last);
        return story;
    }

    /** NOWPayments repeats IPNs and does not promise order. */
    private List<String> withRepeats(List<PaymentStatus> story) {
        List<String> sent = new ArrayList<>();
        story.forEach(status -> sent.add(status.wire()));
        if (random.nextInt(3) == 0) {
            sent.add(sent.get(random.nextInt(sent.size())));
        }
        Collections.shuffle(sent, random);
        return sent;
    }
}
