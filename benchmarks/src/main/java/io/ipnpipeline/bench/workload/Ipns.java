package io.ipnpipeline.bench.workload;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The benchmark's IPNs, deterministic for a seed: payments that each go through five statuses (waiting,
 * confirming, confirmed, sending, finished), a share of exact duplicates (NOWPayments' retries), and a share of
 * payments for channels nobody registered (parked by the processor). Payments advance in blocks, so statuses of
 * many payments interleave as they do in real traffic, while each payment's statuses arrive in order.
 */
public final class Ipns {

    public static final List<PaymentStatus> LIFECYCLE = List.of(PaymentStatus.WAITING, PaymentStatus.CONFIRMING,
            PaymentStatus.CONFIRMED, PaymentStatus.SENDING, PaymentStatus.FINISHED);
    private static final String[] PRICES = {"2.50", "5.00", "10.00"};
    private static final int[] DAYS = {7, 30, 90};
    private static final int BLOCK_PAYMENTS = 500;
    private static final long UNMAPPED_CHANNEL_BASE = -1009000000000L;

    /** One IPN: its payment, status and body as NOWPayments would POST it. */
    public record Ipn(long paymentId, PaymentStatus status, boolean duplicate, boolean mapped, byte[] body) {
    }

    /**
     * @param total             IPNs to produce, duplicates included
     * @param duplicateFraction share of {@code total} that repeats an IPN already sent
     * @param unmappedFraction  share of payments whose channel is not in channel.mappings
     * @param firstPaymentId    payment ids are {@code firstPaymentId, firstPaymentId + 1, ...}
     */
    public record Spec(long total, double duplicateFraction, double unmappedFraction, int channels,
            long firstPaymentId, long seed) {
    }

    private Ipns() {
    }

    /** The registry rows every mapped payment refers to; three tiers each. */
    public static List<ChannelMapping> mappings(int channels) {
        List<ChannelMapping> result = new ArrayList<>(channels);
        for (int i = 0; i < channels; i++) {
            result.add(new ChannelMapping(openChannel(i), -1003000000000L - i, "0xBench" + i, "eth", "eth",
                    new BigDecimal(PRICES[0]), DAYS[0], new BigDecimal(PRICES[1]), DAYS[1],
                    new BigDecimal(PRICES[2]), DAYS[2], PayoutStrategy.INSTANT, null,
                    Instant.parse("2025-11-01T00:00:00Z")));
        }
        return result;
    }

    public static long openChannel(int index) {
        return -1002000000000L - index;
    }

    /** Calls {@code sink} with each IPN in send order. */
    public static void generate(Spec spec, Consumer<Ipn> sink) {
        long duplicates = Math.round(spec.total() * spec.duplicateFraction());
        long unique = spec.total() - duplicates;
        double duplicatesPerUnique = unique == 0 ? 0 : (double) duplicates / unique;
        Random random = new Random(spec.seed());
        long emitted = 0;
        long uniqueEmitted = 0;
        long nextPayment = spec.firstPaymentId();
        while (emitted < spec.total()) {
            int blockSize = (int) Math.min(BLOCK_PAYMENTS, Math.max(1, (unique - uniqueEmitted + 4) / 5));
            List<Payment> block = new ArrayList<>(blockSize);
            for (int i = 0; i < blockSize; i++) {
                block.add(Payment.random(nextPayment++, spec, random));
            }
            List<Ipn> sentInBlock = new ArrayList<>(blockSize * LIFECYCLE.size());
            for (PaymentStatus status : LIFECYCLE) {
                for (Payment payment : block) {
                    if (emitted >= spec.total()) {
                        return;
                    }
                    Ipn ipn = payment.ipn(status);
                    sink.accept(ipn);
                    sentInBlock.add(ipn);
                    emitted++;
                    uniqueEmitted++;
                    // exactly the requested share of duplicates, each a retry of an IPN sent earlier in the block
                    if (emitted < spec.total() && Math.floor(uniqueEmitted * duplicatesPerUnique)
                            > Math.floor((uniqueEmitted - 1) * duplicatesPerUnique)) {
                        Ipn original = sentInBlock.get(random.nextInt(sentInBlock.size()));
                        sink.accept(new Ipn(original.paymentId(), original.status(), true, original.mapped(),
                                original.body()));
                        emitted++;
                    }
                }
            }
        }
    }

    /** Payments with one IPN each, for latency probes: {@code status} for every one. */
    public static Ipn single(long paymentId, PaymentStatus status, int channels, Random random) {
        return Payment.random(paymentId, new Spec(1, 0, 0, channels, paymentId, 0), random).ipn(status);
    }

    private record Payment(long id, long userId, long channel, int tier, boolean mapped) {

        static Payment random(long id, Spec spec, Random random) {
            boolean mapped = random.nextDouble() >= spec.unmappedFraction();
            long channel = mapped ? openChannel(random.nextInt(spec.channels())) : UNMAPPED_CHANNEL_BASE - random.nextInt(10);
            return new Payment(id, 6_000_000_000L + id % 1_000_000_000L, channel, random.nextInt(PRICES.length), mapped);
        }

        Ipn ipn(PaymentStatus status) {
            byte[] body = IpnBodyBuilder.incidentPayment()
                    .paymentId(id)
                    .with("invoice_id", id + 17)
                    .status(status)
                    .order(userId, channel)
                    .priceAmount(PRICES[tier])
                    .with("updated_at", Instant.ofEpochSecond(1_762_516_280L + status.rank() * 60L).toString())
                    .toBytes();
            return new Ipn(id, status, false, mapped, body);
        }
    }
}
