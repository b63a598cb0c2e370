package io.ipnpipeline.contracts.payment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.StatusWord;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The {@code payments.enriched} value serde: the wire format of {@link JsonSerde} for {@link EnrichedPayment}
 * (same names, same order, decimals as strings, instants as ISO-8601, nulls written), written and read with
 * a hand-written writer and Jackson's streaming parser instead of data binding, which is several times cheaper
 * per record on the processor's and the sink's hot paths.
 *
 * <p>Writing gives exactly the mapper's bytes ({@link EnrichedJsonWriter} straight into a byte array when every
 * text is ASCII, the mapper itself otherwise). Reading takes only the shape the writer produces (numbers as
 * numbers, decimals and timestamps as strings, enums by name, each field once); anything else (a coerced type,
 * an unusual timestamp, a missing required field, malformed JSON) is handed to {@link JsonSerde}, so the result,
 * or the error, is always exactly the serde's. Reading tries the writer's exact layout first ({@link
 * #canonical(byte[])}: names compared as bytes, numbers and strings parsed in place, no Jackson), then Jackson's
 * streaming parser, then the serde. {@code EnrichedPaymentSerdeTest} (stream-processor) holds the writer to the
 * mapper's bytes; {@code EnrichedPaymentReaderTest} (sink-writer) holds the reader to the serde.
 */
public final class EnrichedPaymentSerde implements Serde<EnrichedPayment> {

    private static final JsonSerde<EnrichedPayment> DATA_BINDING = new JsonSerde<>(EnrichedPayment.class);
    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    private static final int FIELDS = EnrichedLayout.FIELDS;
    /** Far below Jackson's number-length limit, so a value it would refuse never takes the fast path. */
    private static final int MAX_DECIMAL_CHARS = 100;
    private static final int RAW_IPN = 29;
    private static final Map<String, Integer> FIELD_INDEX = fieldIndex();
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_STRING_CHARS = FACTORY.streamReadConstraints().getMaxStringLength();
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    @Override
    public Serializer<EnrichedPayment> serializer() {
        return (topic, payment) -> payment == null ? null : write(payment);
    }

    @Override
    public Deserializer<EnrichedPayment> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    /** As {@code JsonSerde.read}: the record, or a SerializationException saying why not. */
    public static EnrichedPayment read(byte[] bytes) {
        EnrichedPayment fast = fast(bytes);
        return fast != null ? fast : DATA_BINDING.read(bytes);
    }

    /** The value as the contracts' mapper writes it, byte for byte. */
    public static byte[] write(EnrichedPayment p) {
        byte[] fast = EnrichedJsonWriter.write(p);
        return fast != null ? fast : DATA_BINDING.write(p);
    }

    private static Map<String, Integer> fieldIndex() {
        Map<String, Integer> index = new HashMap<>();
        for (int f = 0; f < FIELDS; f++) {
            index.put(EnrichedLayout.NAMES.get(f), f);
        }
        return Map.copyOf(index);
    }

    /** The record, or null if the input is not in the canonical shape (the serde then decides). */
    public static EnrichedPayment fast(byte[] bytes) {
        EnrichedPayment exact = canonical(bytes);
        if (exact != null) {
            return exact;
        }
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            return parse(bytes, parser);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static EnrichedPayment parse(byte[] bytes, JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Object[] v = new Object[FIELDS];
        boolean[] seen = new boolean[FIELDS];
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                return null;
            }
            int field = field(parser.currentName());
            JsonToken value = parser.nextToken();
            if (field < 0) {
                parser.skipChildren();
                continue;
            }
            if (seen[field]) {
                return null;
            }
            seen[field] = true;
            if (field == RAW_IPN && value == JsonToken.VALUE_STRING) {
                DecodedString raw = DecodedString.at(bytes, parser);
                if (raw != null) {
                    v[field] = raw.text();
                    if (raw.closesObject(bytes)) {
                        break;
                    }
                    continue;
                }
            }
            if (value != JsonToken.VALUE_NULL && !read(parser, value, field, v)) {
                return null;
            }
        }
        return build(v);
    }

    /** The record from its fields in the canonical order, or null if a required one is missing. */
    private static EnrichedPayment build(Object[] v) {
        if (v[0] == null || v[1] == null || v[2] == null || v[29] == null) {
            return null;
        }
        return new EnrichedPayment((Long) v[0], (PaymentStatus) v[1], (StatusWord) v[2], (String) v[3],
                (String) v[4], (Long) v[5], (Long) v[6], (Long) v[7], (Integer) v[8], (Integer) v[9],
                (BigDecimal) v[10], (String) v[11], (String) v[12], (String) v[13], (PayoutStrategy) v[14],
                (BigDecimal) v[15], (Long) v[16], (Long) v[17], (String) v[18], (BigDecimal) v[19], (String) v[20],
                (BigDecimal) v[21], (BigDecimal) v[22], (String) v[23], (BigDecimal) v[24], (String) v[25],
                (Instant) v[26], (Instant) v[27], (Instant) v[28], (String) v[29]);
    }

    /** Reads one non-null value into v[field]; false if it is not in the canonical form. */
    private static boolean read(JsonParser parser, JsonToken token, int field, Object[] v) throws IOException {
        Object value = switch (field) {
            case 0, 5, 6, 7, 16, 17 -> token == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue() : null;
            case 8, 9 -> token == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : null;
            case 1 -> token == JsonToken.VALUE_STRING ? PaymentStatus.valueOf(parser.getText()) : null;
            case 2 -> token == JsonToken.VALUE_STRING ? StatusWord.valueOf(parser.getText()) : null;
            case 14 -> token == JsonToken.VALUE_STRING ? PayoutStrategy.fromWord(parser.getText()) : null;
            case 10, 15, 19, 21, 22, 24 -> token == JsonToken.VALUE_STRING ? decimal(parser.getText()) : null;
            case 26, 27, 28 -> token == JsonToken.VALUE_STRING ? instant(parser.getText()) : null;
            default -> token == JsonToken.VALUE_STRING ? parser.getText() : null;
        };
        v[field] = value;
        return value != null;
    }

    /** Plain decimal literals only; anything Jackson might read differently (blanks, empty) goes to the serde. */
    private static BigDecimal decimal(String text) {
        if (text.isEmpty() || text.length() > MAX_DECIMAL_CHARS || Character.isWhitespace(text.charAt(0))
                || Character.isWhitespace(text.charAt(text.length() - 1))) {
            return null;
        }
        return new BigDecimal(text);
    }

    /** UTC instants as {@code Instant.toString} writes them; offsets and epoch numbers go to the serde. */
    private static Instant instant(String text) {
        return text.endsWith("Z") && text.indexOf('T') == 10 ? IsoInstants.parse(text) : null;
    }

    private static int field(String name) {
        Integer field = FIELD_INDEX.get(name);
        return field == null ? -1 : field;
    }

    /**
     * The record if the input is exactly what {@link EnrichedJsonWriter} writes: every field once, in its order,
     * no whitespace, integers as plain digits, strings ASCII with JSON's escapes; null for anything else (the
     * Jackson reader then decides). On the inputs it takes, Jackson reads the same names, the same numbers and
     * the same strings, and each value goes through the same conversion as in {@link #read(JsonParser, JsonToken,
     * int, Object[])}, so the record is the one the Jackson reader would give, without its per-record parser,
     * name canonicalisation and text buffers. Public so tests can tell the canonical path is taken.
     */
    public static EnrichedPayment canonical(byte[] bytes) {
        try {
            return new CanonicalReader(bytes).read();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Walks the writer's layout through one input; any surprise gives null (or an exception). */
    private static final class CanonicalReader {

        private final byte[] in;
        private int pos;

        CanonicalReader(byte[] in) {
            this.in = in;
        }

        EnrichedPayment read() {
            Object[] v = new Object[FIELDS];
            for (int f = 0; f < FIELDS; f++) {
                if (!skip(EnrichedLayout.prefix(f))) {
                    return null;
                }
                if (skip(NULL)) {
                    continue;
                }
                v[f] = value(f);
                if (v[f] == null) {
                    return null;
                }
            }
            // bytes after the closing brace are ignored, as the Jackson reader and the serde ignore them
            return pos < in.length && in[pos] == '}' ? build(v) : null;
        }

        private Object value(int field) {
            return switch (field) {
                case 0, 5, 6, 7, 16, 17 -> integer(Long.MIN_VALUE, Long.MAX_VALUE);
                case 8, 9 -> {
                    Long value = integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
                    yield value == null ? null : Integer.valueOf(value.intValue());
                }
                default -> {
                    String text = text();
                    yield text == null ? null : converted(field, text);
                }
            };
        }

        /** The same conversions as the Jackson reader's. */
        private static Object converted(int field, String text) {
            return switch (field) {
                case 1 -> PaymentStatus.valueOf(text);
                case 2 -> StatusWord.valueOf(text);
                case 14 -> PayoutStrategy.fromWord(text);
                case 10, 15, 19, 21, 22, 24 -> decimal(text);
                case 26, 27, 28 -> instant(text);
                default -> text;
            };
        }

        /**
         * A JSON integer as Jackson accepts it (no leading zero, no sign but minus) within [min, max]. Summed
         * negatively, as Long.parseLong does, so that Long.MIN_VALUE fits; beyond a long it throws.
         */
        private Long integer(long min, long max) {
            boolean negative = pos < in.length && in[pos] == '-';
            int first = negative ? pos + 1 : pos;
            int end = first;
            long negated = 0;
            while (end < in.length && in[end] >= '0' && in[end] <= '9') {
                negated = Math.subtractExact(Math.multiplyExact(negated, 10), in[end] - '0');
                end++;
            }
            int digits = end - first;
            if (digits == 0 || in[first] == '0' && digits > 1 || !negative && negated == Long.MIN_VALUE) {
                return null;
            }
            long value = negative ? negated : -negated;
            if (value < min || value > max) {
                return null;
            }
            pos = end;
            return value;
        }

        /** A string value, or null if there is none or the decoder leaves it to Jackson. */
        private String text() {
            DecodedString text = pos < in.length ? DecodedString.at(in, pos) : null;
            if (text == null) {
                return null;
            }
            pos = text.end();
            return text.text();
        }

        private boolean skip(byte[] expected) {
            int end = pos + expected.length;
            if (end > in.length || !Arrays.equals(in, pos, end, expected, 0, expected.length)) {
                return false;
            }
            pos = end;
            return true;
        }
    }

    /**
     * A string value decoded straight from the input bytes, and the index just past its closing quote. The raw
     * IPN is a JSON document escaped inside this one (a backslash before every quote), which sends Jackson down its
     * slow per-character path; this loop takes ASCII text with JSON's escapes into a Latin-1 string directly.
     * Anything else (non-ASCII bytes, control characters, an escape beyond Latin-1 or an invalid one, a missing
     * end, a string longer than Jackson allows) gives null, and Jackson reads the value as before, so the result
     * or the error stays exactly Jackson's.
     */
    private record DecodedString(String text, int end) {

        /** The string value the parser is at. */
        static DecodedString at(byte[] in, JsonParser parser) {
            long quote = parser.currentTokenLocation().getByteOffset();
            return quote >= 0 && quote < in.length ? at(in, (int) quote) : null;
        }

        /** The string whose opening quote is in[quote]. */
        static DecodedString at(byte[] in, int quote) {
            if (in[quote] != '"') {
                return null;
            }
            int from = quote + 1;
            int special = special(in, from);
            if (special < in.length && in[special] == '"') { // no escapes: the common case, no copy to make
                return decoded(in, from, special - from, special + 1);
            }
            byte[] out = new byte[in.length - quote];
            int length = 0;
            while (true) {
                int run = copyRun(in, from, out, length);
                special = from + run;
                length += run;
                if (special >= in.length) {
                    return null;
                }
                if (in[special] == '"') {
                    return decoded(out, 0, length, special + 1);
                }
                int ch = in[special] == '\\' ? escaped(in, special + 1) : -1; // else control or non-ASCII
                if (ch < 0) {
                    return null;
                }
                out[length++] = (byte) ch;
                from = special + (in[special + 1] == 'u' ? 6 : 2);
            }
        }

        /**
         * Copies in[from] up to the next quote, backslash, control character or non-ASCII byte (or the end) to
         * out[to], eight bytes at a time while it can, and returns how many. It may write up to seven bytes more,
         * which the caller overwrites or cuts off: out has room, as it never gets ahead of the input.
         */
        private static int copyRun(byte[] in, int from, byte[] out, int to) {
            int i = from;
            while (i + Long.BYTES <= in.length) {
                long word = (long) LONGS.get(in, i);
                LONGS.set(out, to + i - from, word);
                long flags = specials(word);
                if (flags != 0) {
                    return i - from + (Long.numberOfTrailingZeros(flags) >>> 3);
                }
                i += Long.BYTES;
            }
            int special = special(in, i);
            System.arraycopy(in, i, out, to + i - from, special - i);
            return special - from;
        }

        private static DecodedString decoded(byte[] latin1, int offset, int length, int end) {
            return length > MAX_STRING_CHARS ? null
                    : new DecodedString(new String(latin1, offset, length, StandardCharsets.ISO_8859_1), end);
        }

        /**
         * The index of the first quote, backslash, control character or non-ASCII byte from in[from] on, or the
         * input's length; eight bytes at a time while it can.
         */
        private static int special(byte[] in, int from) {
            int i = from;
            while (i + Long.BYTES <= in.length) {
                long flags = specials((long) LONGS.get(in, i));
                if (flags != 0) {
                    return i + (Long.numberOfTrailingZeros(flags) >>> 3);
                }
                i += Long.BYTES;
            }
            while (i < in.length) {
                byte b = in[i];
                if (b == '"' || b == '\\' || b < 0x20) { // bytes are signed: non-ASCII is below 0x20 too
                    return i;
                }
                i++;
            }
            return i;
        }

        /**
         * The high bit set in every byte of the word that is a quote, a backslash, below 0x20 or above 0x7F.
         * Borrows may also flag bytes above the first such byte, never below it, so the lowest flag is exact.
         */
        private static long specials(long word) {
            long quotes = word ^ (ONES * '"');
            long backslashes = word ^ (ONES * '\\');
            return ((quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes
                    | (word - ONES * 0x20) & ~word | word) & HIGHS;
        }

        /** The Latin-1 character of the escape whose letter is at in[at], or -1. */
        private static int escaped(byte[] in, int at) {
            if (at >= in.length) {
                return -1;
            }
            return switch (in[at]) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '/' -> '/';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> unicode(in, at + 1);
                default -> -1;
            };
        }

        private static int unicode(byte[] in, int from) {
            if (from + 4 > in.length) {
                return -1;
            }
            int value = 0;
            for (int i = from; i < from + 4; i++) {
                int digit = Character.digit(in[i], 16);
                if (digit < 0) {
                    return -1;
                }
                value = value << 4 | digit;
            }
            return value <= 0xFF ? value : -1;
        }

        /**
         * True if only whitespace and the closing brace of the object follow: the record is complete, and skipping
         * the string once more inside Jackson would be wasted (bytes after that brace are ignored by the serde too).
         */
        boolean closesObject(byte[] in) {
            for (int i = end; i < in.length; i++) {
                byte b = in[i];
                if (b == '}') {
                    return true;
                }
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    return false;
                }
            }
            return false;
        }
    }
}
