package io.ipnpipeline.contracts.ipn;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fastest path of {@link StreamingIpnReader}: a byte scanner for the plain form every gateway-verified IPN
 * has (one JSON object, ASCII text without escapes, ordinary numbers, nesting only in fields the IPN does not
 * keep). It fills the same value slots as the Jackson pass, with the same Java values, and gives up (returns
 * false) at the first thing outside that form: a backslash, a non-ASCII or control byte, a malformed or very
 * long number, deep nesting, anything but whitespace after the closing brace. Giving up is always safe: Jackson
 * then reads the body, and the tree after it, so this scanner never has to decide what an unusual body means.
 */
final class AsciiIpnScanner {

    /**
     * Well under Jackson's own limits (numbers of 1,000 digits, names of 50,000 bytes, nesting 1,000 deep), so
     * a body this scanner reads is never one Jackson refuses; an IPN is about 1 KiB.
     */
    private static final int MAX_NUMBER_LENGTH = 100;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_BODY_BYTES = 16 * 1024;

    /** The kept field names as bytes, and each one's slot in the value array alongside. */
    private static final byte[][] NAMES;
    private static final int[] SLOTS;

    static {
        String[] names = {"payment_id", "parent_payment_id", "invoice_id", "payment_status", "pay_address",
            "price_amount", "price_currency", "pay_amount", "actually_paid", "pay_currency", "order_id",
            "order_description", "outcome_amount", "outcome_currency", "payin_hash", "payout_hash", "created_at",
            "updated_at"};
        NAMES = new byte[names.length][];
        SLOTS = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            NAMES[i] = names[i].getBytes(StandardCharsets.US_ASCII);
            SLOTS[i] = StreamingIpnReader.fieldIndex(names[i]);
        }
    }

    private final byte[] b;
    private int pos;

    private AsciiIpnScanner(byte[] body) {
        this.b = body;
    }

    /** Fills {@code values} and answers true, or answers false when the body is not of the plain form. */
    static boolean scan(byte[] body, Object[] values) {
        if (body.length > MAX_BODY_BYTES) {
            return false;
        }
        try {
            return new AsciiIpnScanner(body).object(values);
        } catch (GiveUp | NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    private boolean object(Object[] values) {
        skipWhitespace();
        expect('{');
        skipWhitespace();
        if (peek() != '}') {
            do {
                skipWhitespace();
                int slot = name();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                if (slot < 0) {
                    skipValue(1);
                } else {
                    values[slot] = scalar();
                }
                skipWhitespace();
            } while (next() == ',');
            pos--;
        }
        expect('}');
        skipWhitespace();
        return pos == b.length;
    }

    /** The slot of a kept field, or -1 for any other field name. */
    private int name() {
        int start = stringBody();
        int length = pos - 1 - start;
        for (int i = 0; i < NAMES.length; i++) {
            byte[] name = NAMES[i];
            if (name.length == length && Arrays.equals(b, start, start + length, name, 0, length)) {
                return SLOTS[i];
            }
        }
        return -1;
    }

    /** A value of a kept field: a String, a number or JSON null, as the Jackson pass would hold it. */
    private Object scalar() {
        byte c = peek();
        if (c == '"') {
            int start = stringBody();
            return new String(b, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
        }
        if (c == 'n') {
            literal("null");
            return StreamingIpnReader.JSON_NULL;
        }
        return number(true);
    }

    private void skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw GiveUp.INSTANCE;
        }
        byte c = peek();
        switch (c) {
            case '"' -> stringBody();
            case 'n' -> literal("null");
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case '{' -> container('}', depth, true);
            case '[' -> container(']', depth, false);
            default -> number(false);
        }
    }

    private void container(char close, int depth, boolean named) {
        pos++;
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return;
        }
        do {
            skipWhitespace();
            if (named) {
                stringBody();
                skipWhitespace();
                expect(':');
                skipWhitespace();
            }
            skipValue(depth + 1);
            skipWhitespace();
        } while (next() == ',');
        pos--;
        expect(close);
    }

    /** Steps over a string of plain ASCII; returns where its content starts, leaves pos after the closing quote. */
    private int stringBody() {
        expect('"');
        int start = pos;
        byte[] bytes = b;
        int p = pos;
        while (true) {
            if (p >= bytes.length) {
                throw GiveUp.INSTANCE;
            }
            byte c = bytes[p++];
            if (c == '"') {
                break;
            }
            // a backslash (escapes), a control character or any non-ASCII byte: Jackson decides
            if (c == '\\' || c < 0x20) {
                throw GiveUp.INSTANCE;
            }
        }
        pos = p;
        return start;
    }

    /**
     * A JSON number exactly by its grammar, read as the Jackson pass reads it: an integer with its long (when it
     * fits) and its decimal, a fraction or exponent as a decimal with trailing zeros stripped. A number that is
     * not {@code kept} is only checked: an exponent too large for a BigDecimal fails Jackson's pass too.
     */
    private StreamingIpnReader.Num number(boolean kept) {
        int start = pos;
        if (peekOrEnd() == '-') {
            pos++;
        }
        int intStart = pos;
        digits();
        if (pos - intStart > 1 && b[intStart] == '0') {
            throw GiveUp.INSTANCE;
        }
        boolean integer = true;
        if (peekOrEnd() == '.') {
            pos++;
            digits();
            integer = false;
        }
        boolean exponent = false;
        int e = peekOrEnd();
        if (e == 'e' || e == 'E') {
            exponent = true;
            pos++;
            int sign = peekOrEnd();
            if (sign == '+' || sign == '-') {
                pos++;
            }
            digits();
            integer = false;
        }
        int length = pos - start;
        if (length > MAX_NUMBER_LENGTH) {
            throw GiveUp.INSTANCE;
        }
        if (!kept && !exponent) {
            return null;
        }
        if (kept && !exponent && pos - intStart <= 18 + (integer ? 0 : 1)) {
            return smallNumber(start, intStart, integer);
        }
        String text = new String(b, start, length, StandardCharsets.ISO_8859_1);
        BigDecimal decimal = new BigDecimal(text);
        if (!kept) {
            return null;
        }
        if (!integer) {
            return new StreamingIpnReader.Num(false, null, StreamingIpnReader.treeDecimal(decimal));
        }
        return new StreamingIpnReader.Num(true, longOrNull(text), decimal);
    }

    /**
     * A number of at most 18 digits and no exponent, from its digits: the same values {@code new BigDecimal(text)}
     * gives (unscaled digits and the count after the point), without the text.
     */
    private StreamingIpnReader.Num smallNumber(int start, int intStart, boolean integer) {
        long unscaled = 0;
        int scale = 0;
        boolean fraction = false;
        for (int i = intStart; i < pos; i++) {
            byte c = b[i];
            if (c == '.') {
                fraction = true;
            } else {
                unscaled = unscaled * 10 + (c - '0');
                if (fraction) {
                    scale++;
                }
            }
        }
        if (b[start] == '-') {
            unscaled = -unscaled;
        }
        BigDecimal decimal = BigDecimal.valueOf(unscaled, scale);
        return integer ? new StreamingIpnReader.Num(true, unscaled, decimal)
                : new StreamingIpnReader.Num(false, null, StreamingIpnReader.treeDecimal(decimal));
    }

    private static Long longOrNull(String integer) {
        try {
            return Long.parseLong(integer);
        } catch (NumberFormatException overflow) {
            return null;
        }
    }

    /** One or more ASCII digits. */
    private void digits() {
        int start = pos;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        if (pos == start) {
            throw GiveUp.INSTANCE;
        }
    }

    private void literal(String word) {
        int length = word.length();
        if (pos + length > b.length) {
            throw GiveUp.INSTANCE;
        }
        for (int i = 0; i < length; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw GiveUp.INSTANCE;
            }
        }
        pos += length;
        int after = peekOrEnd();
        // "nullx" and friends are not JSON; what may follow a literal is a separator
        if (after != -1 && after != ',' && after != '}' && after != ']' && !isWhitespace(after)) {
            throw GiveUp.INSTANCE;
        }
    }

    private void skipWhitespace() {
        while (pos < b.length && isWhitespace(b[pos])) {
            pos++;
        }
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private void expect(char c) {
        if (pos >= b.length || b[pos] != c) {
            throw GiveUp.INSTANCE;
        }
        pos++;
    }

    private byte peek() {
        if (pos >= b.length) {
            throw GiveUp.INSTANCE;
        }
        return b[pos];
    }

    private int peekOrEnd() {
        return pos < b.length ? b[pos] : -1;
    }

    private byte next() {
        byte c = peek();
        pos++;
        return c;
    }

    /** Not an error: the body is merely outside the plain form. Shared and stackless, as it is thrown often. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super("not the plain form", null, false, false);
        }
    }
}
