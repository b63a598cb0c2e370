package io.ipnpipeline.contracts.payment;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The layout of a {@code payments.enriched} value as the contracts' mapper writes it: the field names in record
 * order. {@link EnrichedJsonWriter} writes exactly this and {@link EnrichedPaymentSerde}'s canonical reader
 * expects exactly this, so both take it from here.
 */
final class EnrichedLayout {

    static final List<String> NAMES = List.of("payment_id", "status", "status_word", "review_reason",
            "order_id", "user_id", "open_channel_id", "private_channel_id", "tier_index", "subscription_days",
            "subscription_price", "client_wallet_address", "client_payout_currency", "client_payout_network",
            "payout_strategy", "payout_threshold_usd", "parent_payment_id", "invoice_id", "pay_address",
            "price_amount", "price_currency", "pay_amount", "actually_paid", "pay_currency", "outcome_amount",
            "outcome_currency", "nowpayments_created_at", "nowpayments_updated_at", "received_at", "raw_ipn");
    static final int FIELDS = NAMES.size();
    /** The bytes before each field's value: {@code {"payment_id":}, then {@code ,"status":} and so on. */
    private static final byte[][] PREFIXES = prefixes();

    private EnrichedLayout() {
    }

    /** The shared bytes of field {@code f}'s prefix: read them, never write to them. */
    static byte[] prefix(int f) {
        return PREFIXES[f];
    }

    private static byte[][] prefixes() {
        byte[][] prefixes = new byte[FIELDS][];
        for (int f = 0; f < FIELDS; f++) {
            prefixes[f] = ((f == 0 ? "{\"" : ",\"") + NAMES.get(f) + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        return prefixes;
    }
}
