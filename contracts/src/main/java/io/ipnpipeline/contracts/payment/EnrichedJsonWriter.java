package io.ipnpipeline.contracts.payment;

import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.serde.MapperEscapes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes an {@link EnrichedPayment} straight into a byte array, exactly as the contracts' mapper would, for the
 * common case of ASCII text. This is the processor's per-record output cost (the raw IPN, escaped, is most of
 * the record); Jackson's generator spends more on setting itself up and on its char-to-byte pass than on the
 * JSON itself.
 *
 * <p>Escapes as the mapper does ({@link MapperEscapes}). A string with any non-ASCII character makes
 * {@link #write} return null, and the caller uses the mapper's writer (Jackson escapes surrogates one by one,
 * which is not worth repeating here).
 */
final class EnrichedJsonWriter {

    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    /** Jackson's bound for writing a BigDecimal plain; beyond it the mapper refuses, and so it decides here too. */
    private static final int MAX_PLAIN_SCALE = 9999;
    private static final ThreadLocal<EnrichedJsonWriter> WRITERS = ThreadLocal.withInitial(EnrichedJsonWriter::new);

    private byte[] buf = new byte[4096];
    private int pos;
    /** The next field of {@link EnrichedLayout}, in the order render writes them. */
    private int field;
    /** False once something is met that only the mapper writes (non-ASCII text, an extreme decimal scale). */
    private boolean ascii;

    private EnrichedJsonWriter() {
    }

    /** The mapper's bytes, or null when a text field is not plain ASCII or a decimal's scale is extreme. */
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
        field = 0;
        ascii = true;
        next().number(p.paymentId());
        next().text(p.status().name());
        next().text(p.statusWord().name());
        next().text(p.reviewReason());
        next().text(p.orderId());
        next().number(p.userId());
        next().number(p.openChannelId());
        next().number(p.privateChannelId());
        next().number(p.tierIndex());
        next().number(p.subscriptionDays());
        next().decimal(p.subscriptionPrice());
        next().text(p.clientWalletAddress());
        next().text(p.clientPayoutCurrency());
        next().text(p.clientPayoutNetwork());
        next().text(p.payoutStrategy() == null ? null : p.payoutStrategy().word());
        next().decimal(p.payoutThresholdUsd());
        next().number(p.parentPaymentId());
        next().number(p.invoiceId());
        next().text(p.payAddress());
        next().decimal(p.priceAmount());
        next().text(p.priceCurrency());
        next().decimal(p.payAmount());
        next().decimal(p.actuallyPaid());
        next().text(p.payCurrency());
        next().decimal(p.outcomeAmount());
        next().text(p.outcomeCurrency());
        next().instant(p.nowpaymentsCreatedAt());
        next().instant(p.nowpaymentsUpdatedAt());
        next().instant(p.receivedAt());
        next().text(p.rawIpn());
        raw('}');
        return ascii ? Arrays.copyOf(buf, pos) : null;
    }

    /** Writes the next field's name, with the brace or comma before it, in one copy. */
    private EnrichedJsonWriter next() {
        byte[] prefix = EnrichedLayout.prefix(field++);
        ensure(prefix.length);
        System.arraycopy(prefix, 0, buf, pos, prefix.length);
        pos += prefix.length;
        return this;
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
        if (value != null && Math.abs((long) value.scale()) > MAX_PLAIN_SCALE) {
            // toPlainString would write as many zeros as the scale says (a million for 1E-1000000)
            ascii = false;
            return;
        }
        // the mapper writes a BigDecimal plain (WRITE_BIGDECIMAL_AS_PLAIN), in a JSON string
        text(value == null ? null : value.toPlainString());
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
            byte escape = MapperEscapes.of(c);
            if (escape == MapperEscapes.KEEP) {
                b[p++] = (byte) c;
            } else {
                b[p++] = '\\';
                if (escape != MapperEscapes.HEX) {
                    b[p++] = escape;
                } else {
                    b[p++] = 'u';
                    b[p++] = '0';
                    b[p++] = '0';
                    b[p++] = MapperEscapes.hexDigit(c >> 4);
                    b[p++] = MapperEscapes.hexDigit(c & 0xF);
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
