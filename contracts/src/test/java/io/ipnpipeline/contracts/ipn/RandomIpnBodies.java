package io.ipnpipeline.contracts.ipn;

import io.ipnpipeline.contracts.status.PaymentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Incident-payment bodies with a few random fields changed to, or dropped for, values from a given list. */
final class RandomIpnBodies {

    private static final String[] FIELDS = {"payment_id", "parent_payment_id", "invoice_id", "payment_status",
        "pay_address", "price_amount", "price_currency", "pay_amount", "actually_paid", "pay_currency", "order_id",
        "order_description", "outcome_amount", "outcome_currency", "payin_hash", "payout_hash", "created_at",
        "updated_at", "fee"};

    private RandomIpnBodies() {
    }

    static List<byte[]> of(long seed, int count, Object... values) {
        Random random = new Random(seed);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            IpnBodyBuilder body = IpnBodyBuilder.incidentPayment()
                    .status(PaymentStatus.values()[random.nextInt(PaymentStatus.values().length)]);
            for (int change = random.nextInt(4); change > 0; change--) {
                String field = FIELDS[random.nextInt(FIELDS.length)];
                if (random.nextInt(8) == 0) {
                    body.without(field);
                } else {
                    body.with(field, values[random.nextInt(values.length)]);
                }
            }
            bodies.add(body.toBytes());
        }
        return bodies;
    }
}
