package io.ipnpipeline.contracts.signature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The bytes NOWPayments signs: an IPN body re-serialised exactly as JavaScript's {@code JSON.parse} followed by
 * {@code JSON.stringify} would write it, in one of the two {@link SignatureForm}s. Pure and thread-safe.
 *
 * <p>What is reproduced, and why it matters for a byte-exact HMAC:
 * <ul>
 *   <li>numbers become IEEE doubles (JSON.parse) and are printed as JS Number::toString ({@link JsNumbers});
 *   <li>strings escape only {@code "}, {@code \} and control characters ({@code \b \f \n \r \t}, else
 *       {@code \}{@code u00xx} in lower-case hex); {@code /} and non-ASCII are written as UTF-8; lone
 *       surrogates as {@code \}{@code udxxx} (well-formed JSON.stringify);
 *   <li>duplicate keys: the last value wins, as in JSON.parse;
 *   <li>key order of a JS object: integer-like keys (array indices "0".."4294967294") come first in numeric
 *       order, then the other keys in insertion order, which is UTF-16 code-unit order after {@code .sort()};
 *   <li>{@code "__proto__"}: JSON.parse makes it an own property, but the SDK's {@code result[key] = ...}
 *       sets the prototype instead, so DEEP_SORTED drops it; in the replacer form a listed
 *       {@code "__proto__"} reads the inherited accessor of objects lacking one (see
 *       {@link #writeFiltered}).
 * </ul>
 */
public final class CanonicalJson {

    /** NOWPayments bodies nest two levels; anything deeper than this is not an IPN. */
    public static final int MAX_DEPTH = 64;

    private static final String PROTO = "__proto__";
    /** What {@code Object.prototype} serialises as under a replacer list that names {@code "__proto__"}. */
    private static final String OBJECT_PROTOTYPE_UNDER_PROTO_LIST = "{\"__proto__\":null}";
    private static final long MAX_ARRAY_INDEX = 4_294_967_294L;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper PARSER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // exact digits, one correct rounding later
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)    // JSON.parse rejects "{} x"
            .build();

    /** Enumeration order of the own keys of a JS object built by inserting keys in sorted order. */
    static final Comparator<String> JS_OBJECT_KEY_ORDER = (a, b) -> {
        long indexA = arrayIndex(a);
        long indexB = arrayIndex(b);
        if (indexA >= 0 && indexB >= 0) {
            return Long.compare(indexA, indexB);
        }
        if (indexA >= 0 || indexB >= 0) {
            return indexA >= 0 ? -1 : 1;
        }
        return a.compareTo(b); // String.compareTo is UTF-16 code-unit order, as Array.prototype.sort
    };

    private CanonicalJson() {
    }

    /**
     * Parses a body the way {@code JSON.parse} accepts it: strict UTF-8, strict JSON, one value, nesting at
     * most {@link #MAX_DEPTH}. Numbers keep their exact digits in the tree (floats as BigDecimal).
     */
    public static JsonNode parse(byte[] body) throws UnreadableBodyException {
        if (body == null || body.length == 0) {
            throw new UnreadableBodyException("empty body");
        }
        try {
            // Plain ASCII without escapes (the IPNs NOWPayments sends) is read straight from the bytes, where
            // Jackson's byte reader and its char reader agree; anything else is decoded strictly and read as
            // text, as before: Jackson's byte reader is lenient about some malformed UTF-8, rejects escaped lone
            // surrogates in names that JSON.parse accepts, and sniffs a NUL byte as UTF-16/32.
            JsonNode root = isPlainAscii(body) ? PARSER.readTree(body) : PARSER.readTree(strictUtf8(body));
            if (root == null || root.isMissingNode()) {
                throw new UnreadableBodyException("not JSON");
            }
            return root;
        } catch (NumberFormatException e) {
            // An exponent beyond BigDecimal's int scale (1e4151218592): JS would read +-Infinity or 0, but no
            // IPN carries such a number, so it is refused rather than read through a lossy path.
            throw new UnreadableBodyException("number out of range");
        } catch (StreamConstraintsException e) {
            throw new UnreadableBodyException("nested too deeply or a number too long");
        } catch (IOException e) {
            throw new UnreadableBodyException("not JSON"); // Jackson's message would echo body text
        }
    }

    private static String strictUtf8(byte[] body) throws UnreadableBodyException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableBodyException("not UTF-8");
        }
    }

    private static boolean isPlainAscii(byte[] body) {
        for (byte b : body) {
            if (b <= 0 || b == '\\') {
                return false; // NUL, the high bit set (negative as a Java byte), or an escape
            }
        }
        return true;
    }

    /** The canonical UTF-8 bytes of a body in the given form. */
    public static byte[] write(byte[] body, SignatureForm form) throws UnreadableBodyException {
        return write(parse(body), form);
    }

    /**
     * The canonical UTF-8 bytes of a parsed body. Any Jackson tree read from JSON works (doubles, longs,
     * BigIntegers and BigDecimals are all turned into the double JSON.parse would make).
     */
    public static byte[] write(JsonNode root, SignatureForm form) throws UnreadableBodyException {
        return writeTo(root, form).toByteArray();
    }

    static Bytes writeTo(JsonNode root, SignatureForm form) throws UnreadableBodyException {
        Bytes out = new Bytes(512);
        switch (form) {
            case DEEP_SORTED -> writeSorted(root, out, 0);
            case TOP_LEVEL_REPLACER -> writeFiltered(root, replacerList(root), out, 0);
            default -> throw new IllegalStateException("unknown form " + form);
        }
        return out;
    }

    // ---- DEEP_SORTED ----

    private static void writeSorted(JsonNode node, Bytes out, int depth) throws UnreadableBodyException {
        if (node.isObject()) {
            checkDepth(depth);
            List<String> keys = new ArrayList<>(node.size());
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!PROTO.equals(key)) {
                    keys.add(key);
                }
            }
            keys.sort(JS_OBJECT_KEY_ORDER);
            out.write('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                writeString(keys.get(i), out);
                out.write(':');
                writeSorted(node.get(keys.get(i)), out, depth + 1);
            }
            out.write('}');
        } else if (node.isArray()) {
            checkDepth(depth);
            out.write('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                writeSorted(node.get(i), out, depth + 1);
            }
            out.write(']');
        } else {
            writeScalar(node, out);
        }
    }

    // ---- TOP_LEVEL_REPLACER ----

    /** {@code Object.keys(params).sort()}: for an array its indices, for a scalar nothing that matters. */
    private static String[] replacerList(JsonNode root) {
        String[] keys;
        if (root.isObject()) {
            keys = new String[root.size()];
            int i = 0;
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                keys[i++] = names.next();
            }
        } else if (root.isArray()) {
            keys = new String[root.size()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = Integer.toString(i);
            }
        } else {
            keys = new String[0];
        }
        Arrays.sort(keys); // Array.prototype.sort without a comparator: UTF-16 code units, so "10" < "9"
        return keys;
    }

    /**
     * JSON.stringify with a property list: every object, at any depth and also inside arrays, prints only the
     * listed keys, in list order. A listed {@code "__proto__"} that an object lacks still reads as
     * {@code Object.prototype} through the inherited accessor, which prints as {@code {"__proto__":null}};
     * every other name an object lacks reads as undefined or a function and is skipped.
     */
    private static void writeFiltered(JsonNode node, String[] list, Bytes out, int depth)
            throws UnreadableBodyException {
        if (node.isObject()) {
            checkDepth(depth);
            out.write('{');
            boolean first = true;
            for (String key : list) {
                JsonNode value = node.get(key);
                if (value == null && !PROTO.equals(key)) {
                    continue;
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                writeString(key, out);
                out.write(':');
                if (value == null) {
                    out.writeAscii(OBJECT_PROTOTYPE_UNDER_PROTO_LIST);
                } else {
                    writeFiltered(value, list, out, depth + 1);
                }
            }
            out.write('}');
        } else if (node.isArray()) {
            checkDepth(depth);
            out.write('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                writeFiltered(node.get(i), list, out, depth + 1);
            }
            out.write(']');
        } else {
            writeScalar(node, out);
        }
    }

    // ---- scalars ----

    private static void checkDepth(int depth) throws UnreadableBodyException {
        if (depth >= MAX_DEPTH) {
            throw new UnreadableBodyException("nested too deeply");
        }
    }

    private static void writeScalar(JsonNode node, Bytes out) throws UnreadableBodyException {
        if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isBigDecimal()) {
            out.writeAscii(JsNumbers.format(node.decimalValue()));
        } else if (node.isNumber()) {
            out.writeAscii(JsNumbers.format(node.doubleValue()));
        } else if (node.isBoolean()) {
            out.writeAscii(node.booleanValue() ? "true" : "false");
        } else if (node.isNull()) {
            out.writeAscii("null");
        } else {
            throw new UnreadableBodyException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeString(String text, Bytes out) {
        out.write('"');
        int length = text.length();
        int plain = plainAsciiPrefix(text);
        out.writeAscii(text, plain);
        for (int i = plain; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                writeAsciiChar(c, out);
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out.write(0xF0 | (codePoint >> 18));
                out.write(0x80 | ((codePoint >> 12) & 0x3F));
                out.write(0x80 | ((codePoint >> 6) & 0x3F));
                out.write(0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                writeUnicodeEscape(c, out); // a lone surrogate has no UTF-8 form
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        out.write('"');
    }

    /** How many leading characters are printable ASCII other than {@code "} and {@code \\}: copied as they are. */
    private static int plainAsciiPrefix(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return i;
            }
        }
        return length;
    }

    private static void writeAsciiChar(char c, Bytes out) {
        switch (c) {
            case '"' -> out.writeAscii("\\\"");
            case '\\' -> out.writeAscii("\\\\");
            case '\b' -> out.writeAscii("\\b");
            case '\f' -> out.writeAscii("\\f");
            case '\n' -> out.writeAscii("\\n");
            case '\r' -> out.writeAscii("\\r");
            case '\t' -> out.writeAscii("\\t");
            default -> {
                if (c < 0x20) {
                    writeUnicodeEscape(c, out);
                } else {
                    out.write(c);
                }
            }
        }
    }

    private static void writeUnicodeEscape(char c, Bytes out) {
        out.write('\\');
        out.write('u');
        out.write(HEX[(c >> 12) & 0xF]);
        out.write(HEX[(c >> 8) & 0xF]);
        out.write(HEX[(c >> 4) & 0xF]);
        out.write(HEX[c & 0xF]);
    }

    /** The numeric value of a canonical array-index key ("0", "17", not "01" or "-1"), else -1. */
    static long arrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_ARRAY_INDEX ? value : -1;
    }

    /** A growable byte buffer that hands its array to the MAC without a copy. */
    static final class Bytes {
        private byte[] buffer;
        private int size;

        Bytes(int capacity) {
            buffer = new byte[capacity];
        }

        void write(int b) {
            if (size == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            buffer[size++] = (byte) b;
        }

        void writeAscii(String ascii) {
            writeAscii(ascii, ascii.length());
        }

        /** The first {@code length} characters of {@code ascii}, which are all below 0x80. */
        @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is exactly right for ASCII
        void writeAscii(String ascii, int length) {
            if (size + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + length));
            }
            ascii.getBytes(0, length, buffer, size);
            size += length;
        }

        byte[] array() {
            return buffer;
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        boolean contentEquals(Bytes other) {
            return Arrays.equals(buffer, 0, size, other.buffer, 0, other.size);
        }
    }
}
