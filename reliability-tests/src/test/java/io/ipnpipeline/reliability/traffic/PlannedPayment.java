package io.ipnpipeline.reliability.traffic;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import java.math.BigDecimal;
import java.util.List;

/**
 * One payment a test intends to send: who pays, for which channel, at which price, and the IPNs NOWPayments
 * sends for it (in sending order, with repeats). {@code kind} says where the pipeline must put it.
 */
public record PlannedPayment(long paymentId, long userId, TestChannel channel, Kind kind, BigDecimal priceUsd,
        List<String> statuses) {

    /** Where the payment must end up. */
    public enum Kind {
        /** A mapped channel and a tier's price: applied to the ledger and the subscription. */
        PLACED,
        /** A channel nobody registered: parked, awaiting_mapping. */
        UNMAPPED,
        /** An order id no parser accepts: needs_review. */
        BAD_ORDER,
        /** A price that matches no tier: needs_review. */
        NO_TIER,
        /** A payment_status nobody knows: every IPN of it goes to ipn.dlq. */
        DEAD_LETTER
    }

    public PlannedPayment {
        statuses = List.copyOf(statuses);
    }

    /** The body of the IPN at {@code index} of {@link #statuses()}. */
    public byte[] body(int index) {
        IpnBodyBuilder builder = IpnBodyBuilder.incidentPayment()
                .paymentId(paymentId)
                .with("invoice_id", paymentId + 1_000_000_000L)
                .with("payment_status", statuses.get(index))
                .with("price_amount", priceUsd);
        if (kind == Kind.BAD_ORDER) {
            builder.orderId("ORDER-" + userId + "/" + channel.openChannelId());
        } else {
            builder.order(userId, channel.openChannelId());
        }
        return builder.toBytes();
    }
}
