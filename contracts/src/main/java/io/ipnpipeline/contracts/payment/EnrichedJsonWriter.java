package io.ipnpipeline.contracts.payment;

import io.ipnpipeline.contracts.ipn.IsoInstants;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes an {@link EnrichedPayment} straight into a byte array, exactly as the contracts' mapper would, for the
 * common case of ASCII text. This is the processor's per-record output cost (the raw IPN, escaped, is most of
 * the record); Jackson's generator spends more on setting itself up and on its char-to-byte pass than on the
 * JSON itself.
 *
 * <p>Escapes as the mapper does: {@code "} and {@code \}, the five short control escapes, other control
 * characters as a backslash-u escape with four upper-case hex digits. A string with any non-ASCII character makes
 * {@link #write} return null, and the caller uses the mapper's writer (Jackson escapes surrogates one by one,
 * which is not worth repeating here).
 */
final class EnrichedJsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** 0: as is; 1: a six-character hex escape; other: the letter after the backslash. */
    private static final byte[] ESCAPES = new byte[128];
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    /** Each field's {@code ,"name":} as bytes, copied in one go. */
    private static final byte[] PAYMENT_ID_FIELD = namePrefix("payment_id");
    private static final byte[] STATUS_FIELD = namePrefix("status");
    private static final byte[] STATUS_WORD_FIELD = namePrefix("status_word");
    private static final byte[] REVIEW_REASON_FIELD = namePrefix("review_reason");
    private static final byte[] ORDER_ID_FIELD = namePrefix("order_id");
    private static final byte[] USER_ID_FIELD = namePrefix("user_id");
    private static final byte[] OPEN_CHANNEL_ID_FIELD = namePrefix("open_channel_id");
    private static final byte[] PRIVATE_CHANNEL_ID_FIELD = namePrefix("private_channel_id");
    private static final byte[] TIER_INDEX_FIELD = namePrefix("tier_index");
    private static final byte[] SUBSCRIPTION_DAYS_FIELD = namePrefix("subscription_days");
    private static final byte[] SUBSCRIPTION_PRICE_FIELD = namePrefix("subscription_price");
    private static final byte[] CLIENT_WALLET_ADDRESS_FIELD = namePrefix("client_wallet_address");
    private static final byte[] CLIENT_PAYOUT_CURRENCY_FIELD = namePrefix("client_payout_currency");
    private static final byte[] CLIENT_PAYOUT_NETWORK_FIELD = namePrefix("client_payout_network");
    private static final byte[] PAYOUT_STRATEGY_FIELD = namePrefix("payout_strategy");
    private static final byte[] PAYOUT_THRESHOLD_USD_FIELD = namePrefix("payout_threshold_usd");
    private static final byte[] PARENT_PAYMENT_ID_FIELD = namePrefix("parent_payment_id");
    private static final byte[] INVOICE_ID_FIELD = namePrefix("invoice_id");
    private static final byte[] PAY_ADDRESS_FIELD = namePrefix("pay_address");
    private static final byte[] PRICE_AMOUNT_FIELD = namePrefix("price_amount");
    private static final byte[] PRICE_CURRENCY_FIELD = namePrefix("price_currency");
    private static final byte[] PAY_AMOUNT_FIELD = namePrefix("pay_amount");
    private static final byte[] ACTUALLY_PAID_FIELD = namePrefix("actually_paid");
    private static final byte[] PAY_CURRENCY_FIELD = namePrefix("pay_currency");
    private static final byte[] OUTCOME_AMOUNT_FIELD = namePrefix("outcome_amount");
    private static final byte[] OUTCOME_CURRENCY_FIELD = namePrefix("outcome_currency");
    private static final byte[] NOWPAYMENTS_CREATED_AT_FIELD = namePrefix("nowpayments_created_at");
    private static final byte[] NOWPAYMENTS_UPDATED_AT_FIELD = namePrefix("nowpayments_updated_at");
    private static final byte[] RECEIVED_AT_FIELD = namePrefix("received_at");
    private static final byte[] RAW_IPN_FIELD = namePrefix("raw_ipn");
    private static final ThreadLocal<EnrichedJsonWriter> WRITERS = ThreadLocal.withInitial(EnrichedJsonWriter::new);

    static {
        Arrays.fill(ESCAPES, 0, 32, (byte) 1);
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private byte[] buf = new byte[4096];
    private int pos;
    private boolean ascii;

    private EnrichedJsonWriter() {
    }

    /** The mapper's bytes, or null when a text field is not plain ASCII. */
    static byte[] write(EnrichedPayment p) {
        EnrichedJsonWriter writer = WRITERS.get();
        byte[] out = writer.render(p);
        if (writer.buf.length > KEEP_BUFFER_BYTES) {
            // one huge record must not pin its buffer to the thread for good
            writer.buf = new byte[4096];
        }
        return out;
    }

    private byte[] render(EnrichedPayment p) {
        pos = 0;
        ascii = true;
        raw('{');
        name(PAYMENT_ID_FIELD, false).number(p.paymentId());
        name(STATUS_FIELD, true).text(p.status().name());
        name(STATUS_WORD_FIELD, true).text(p.statusWord().name());
        name(REVIEW_REASON_FIELD, true).text(p.reviewReason());
        name(ORDER_ID_FIELD, true).text(p.orderId());
        name(USER_ID_FIELD, true).number(p.userId());
        name(OPEN_CHANNEL_ID_FIELD, true).number(p.openChannelId());
        name(PRIVATE_CHANNEL_ID_FIELD, true).number(p.privateChannelId());
        name(TIER_INDEX_FIELD, true).number(p.tierIndex());
        name(SUBSCRIPTION_DAYS_FIELD, true).number(p.subscriptionDays());
        name(SUBSCRIPTION_PRICE_FIELD, true).decimal(p.subscriptionPrice());
        name(CLIENT_WALLET_ADDRESS_FIELD, true).text(p.clientWalletAddress());
        name(CLIENT_PAYOUT_CURRENCY_FIELD, true).text(p.clientPayoutCurrency());
        name(CLIENT_PAYOUT_NETWORK_FIELD, true).text(p.clientPayoutNetwork());
        name(PAYOUT_STRATEGY_FIELD, true).text(p.payoutStrategy() == null ? null : p.payoutStrategy().word());
        name(PAYOUT_THRESHOLD_USD_FIELD, true).decimal(p.payoutThresholdUsd());
        name(PARENT_PAYMENT_ID_FIELD, true).number(p.parentPaymentId());
        name(INVOICE_ID_FIELD, true).number(p.invoiceId());
        name(PAY_ADDRESS_FIELD, true).text(p.payAddress());
        name(PRICE_AMOUNT_FIELD, true).decimal(p.priceAmount());
        name(PRICE_CURRENCY_FIELD, true).text(p.priceCurrency());
        name(PAY_AMOUNT_FIELD, true).decimal(p.payAmount());
        name(ACTUALLY_PAID_FIELD, true).decimal(p.actuallyPaid());
        name(PAY_CURRENCY_FIELD, true).text(p.payCurrency());
        name(OUTCOME_AMOUNT_FIELD, true).decimal(p.outcomeAmount());
        name(OUTCOME_CURRENCY_FIELD, true).text(p.outcomeCurrency());
        name(NOWPAYMENTS_CREATED_AT_FIELD, true).instant(p.nowpaymentsCreatedAt());
        name(NOWPAYMENTS_UPDATED_AT_FIELD, true).instant(p.nowpaymentsUpdatedAt());
        name(RECEIVED_AT_FIELD, true).instant(p.receivedAt());
        name(RAW_IPN_FIELD, true).text(p.rawIpn());
        raw('}');
        return ascii ? Arrays.copyOf(buf, pos) : null;
    }

    private EnrichedJsonWriter name(byte[] prefix, boolean comma) {
        // the first name is written without its comma
        int from = comma ? 0 : 1;
        int length = prefix.length - from;
        ensure(length);
        System.arraycopy(prefix, from, buf, pos, length);
        pos += length;
        return this;
    }

    /** {@code ,"name":} as bytes. */
    private static byte[] namePrefix(String name) {
        return (",\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    private void number(Number value) {
        if (value == null) {
            nullLiteral();
        } else if (value instanceof Long || value instanceof Integer) {
            number(value.longValue());
        } else {
            ascii(value.toString());
        }
    }

    private void number(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        long v = value;
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int end = pos + digitCount(v);
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
    }

    private static int digitCount(long positive) {
        int count = 1;
        for (long rest = positive / 10; rest != 0; rest /= 10) {
            count++;
        }
        return count;
    }

    private void decimal(BigDecimal value) {
        // the mapper writes a BigDecimal as its toString(), in a JSON string; BigDecimal caches that string
        text(value == null ? null : value.toString());
    }

    private void instant(Instant value) {
        if (value == null) {
            nullLiteral();
            return;
        }
        ensure(IsoInstants.MAX_FORMATTED_LENGTH + 2);
        int end = IsoInstants.formatAscii(value, buf, pos + 1);
        if (end < 0) {
            text(value.toString());
            return;
        }
        // ISO digits and separators need no escaping
        buf[pos] = '"';
        buf[end] = '"';
        pos = end + 1;
    }

    private void text(String value) {
        if (value == null) {
            nullLiteral();
            return;
        }
        int length = value.length();
        // room for the worst case (every character a six-byte escape), so the loop below checks nothing else;
        // locals, not fields, so the JIT keeps them in registers
        ensure(length * 6 + 2);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 128) {
                ascii = false;
                return;
            }
            byte escape = ESCAPES[c];
            if (escape == 0) {
                b[p++] = (byte) c;
            } else {
                b[p++] = '\\';
                if (escape != 1) {
                    b[p++] = escape;
                } else {
                    b[p++] = 'u';
                    b[p++] = '0';
                    b[p++] = '0';
                    b[p++] = HEX[c >> 4];
                    b[p++] = HEX[c & 0xF];
                }
            }
        }
        b[p++] = '"';
        pos = p;
    }

    private void nullLiteral() {
        ascii("null");
    }

    private void ascii(String value) {
        ensure(value.length());
        latin1(value);
    }

    /** Only for text known to be ASCII (names, numbers, literals); room already ensured. */
    private void latin1(String value) {
        int length = value.length();
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < length; i++) {
            b[p++] = (byte) value.charAt(i);
        }
        pos = p;
    }

    private void raw(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
