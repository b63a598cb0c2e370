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
        name("payment_id", false).number(p.paymentId());
        name("status", true).text(p.status().name());
        name("status_word", true).text(p.statusWord().name());
        name("review_reason", true).text(p.reviewReason());
        name("order_id", true).text(p.orderId());
        name("user_id", true).number(p.userId());
        name("open_channel_id", true).number(p.openChannelId());
        name("private_channel_id", true).number(p.privateChannelId());
        name("tier_index", true).number(p.tierIndex());
        name("subscription_days", true).number(p.subscriptionDays());
        name("subscription_price", true).decimal(p.subscriptionPrice());
        name("client_wallet_address", true).text(p.clientWalletAddress());
        name("client_payout_currency", true).text(p.clientPayoutCurrency());
        name("client_payout_network", true).text(p.clientPayoutNetwork());
        name("payout_strategy", true).text(p.payoutStrategy() == null ? null : p.payoutStrategy().word());
        name("payout_threshold_usd", true).decimal(p.payoutThresholdUsd());
        name("parent_payment_id", true).number(p.parentPaymentId());
        name("invoice_id", true).number(p.invoiceId());
        name("pay_address", true).text(p.payAddress());
        name("price_amount", true).decimal(p.priceAmount());
        name("price_currency", true).text(p.priceCurrency());
        name("pay_amount", true).decimal(p.payAmount());
        name("actually_paid", true).decimal(p.actuallyPaid());
        name("pay_currency", true).text(p.payCurrency());
        name("outcome_amount", true).decimal(p.outcomeAmount());
        name("outcome_currency", true).text(p.outcomeCurrency());
        name("nowpayments_created_at", true).instant(p.nowpaymentsCreatedAt());
        name("nowpayments_updated_at", true).instant(p.nowpaymentsUpdatedAt());
        name("received_at", true).instant(p.receivedAt());
        name("raw_ipn", true).text(p.rawIpn());
        raw('}');
        return ascii ? Arrays.copyOf(buf, pos) : null;
    }

    private EnrichedJsonWriter name(String name, boolean comma) {
        ensure(name.length() + 4);
        if (comma) {
            buf[pos++] = ',';
        }
        buf[pos++] = '"';
        latin1(name);
        buf[pos++] = '"';
        buf[pos++] = ':';
        return this;
    }

    private void number(Number value) {
        if (value == null) {
            nullLiteral();
        } else {
            ascii(value.toString());
        }
    }

    private void number(long value) {
        ascii(Long.toString(value));
    }

    private void decimal(BigDecimal value) {
        // the mapper writes a BigDecimal as its toString(), in a JSON string; BigDecimal caches that string
        text(value == null ? null : value.toString());
    }

    private void instant(Instant value) {
        text(value == null ? null : IsoInstants.format(value));
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
