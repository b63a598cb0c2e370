package io.ipnpipeline.sink.db;

/**
 * Text PostgreSQL refuses, made storable. U+0000: not in text (the server refuses the byte) and not in jsonb (it
 * refuses the {@code \u0000} escape). A UTF-16 surrogate without its partner: in jsonb the escape is refused
 * (22P02, "Unicode low surrogate must follow a high surrogate"), and in text a lone surrogate character has no
 * UTF-8 form (Java's encoder would send '?'). JSON.stringify writes lone surrogates as escapes, so an authentic,
 * signed IPN can carry one; it is still a paid customer, so rather than send it to the dead-letter topic the sink
 * stores U+FFFD (the replacement character) in place of each, and changes nothing else: a valid surrogate pair,
 * as characters or as two escapes, is kept as it is.
 */
final class NulFree {

    private static final char REPLACEMENT = '\uFFFD';
    private static final String REPLACEMENT_ESCAPE = "\\uFFFD";
    /** Length of one {@code \}{@code uXXXX} escape. */
    private static final int ESCAPE = 6;

    private NulFree() {
    }

    /** Text for a text column: each NUL and each unpaired surrogate character becomes U+FFFD. */
    static String text(String value) {
        int first = firstBadChar(value);
        if (first < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length()).append(value, 0, first);
        int i = first;
        while (i < value.length()) {
            int bad = badCharAt(value, i);
            if (bad == 0) {
                out.append(value.charAt(i));
                i++;
            } else if (bad > 0) {
                out.append(REPLACEMENT);
                i++;
            } else {
                out.append(value, i, i + 2);
                i += 2;
            }
        }
        return out.toString();
    }

    /**
     * JSON for a jsonb column: as {@link #text}, then each escape of U+0000 and each surrogate escape that is not
     * a high one directly followed by a low one becomes the escape of U+FFFD. Escapes are walked pairwise, so an
     * escaped backslash followed by the letters {@code u0000} (text, not a NUL) is left as it is.
     */
    static String json(String value) {
        String text = text(value);
        int backslash = text.indexOf('\\');
        if (backslash < 0 || firstBadEscape(text, backslash) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                i++;
                continue;
            }
            int length = escapeAt(text, i);
            if (length < 0) {
                out.append(REPLACEMENT_ESCAPE);
                i += ESCAPE;
            } else {
                out.append(text, i, i + length);
                i += length;
            }
        }
        return out.toString();
    }

    /** Index of the first character {@link #text} must replace, or -1; the common case costs one pass. */
    private static int firstBadChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\0' || Character.isSurrogate(ch)) {
                int bad = badCharAt(value, i);
                if (bad > 0) {
                    return i;
                }
                if (bad < 0) {
                    i++;
                }
            }
        }
        return -1;
    }

    /** 1: the character at i must be replaced; -1: a valid surrogate pair starts at i; 0: keep it. */
    private static int badCharAt(String value, int i) {
        char ch = value.charAt(i);
        if (ch == '\0') {
            return 1;
        }
        if (!Character.isSurrogate(ch)) {
            return 0;
        }
        boolean pair = Character.isHighSurrogate(ch) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
        return pair ? -1 : 1;
    }

    /** Index of the first escape {@link #json} must replace, walking escapes from the backslash at {@code from}. */
    private static int firstBadEscape(String text, int from) {
        int i = from;
        while (i < text.length()) {
            if (text.charAt(i) != '\\') {
                i++;
                continue;
            }
            int length = escapeAt(text, i);
            if (length < 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /**
     * The escape starting with the backslash at {@code i}: its length in characters to copy as it is (12 for a
     * valid surrogate pair, 6 for another {@code \}{@code uXXXX}, else 2, or what is left of the text), or -1 when
     * it is a {@code \}{@code uXXXX} escape to replace.
     */
    private static int escapeAt(String text, int i) {
        int unit = unitAt(text, i);
        if (unit < 0) {
            return Math.min(2, text.length() - i);
        }
        if (unit == 0 || Character.isLowSurrogate((char) unit)) {
            return -1;
        }
        if (!Character.isHighSurrogate((char) unit)) {
            return ESCAPE;
        }
        int next = unitAt(text, i + ESCAPE);
        return next >= 0 && Character.isLowSurrogate((char) next) ? 2 * ESCAPE : -1;
    }

    /** The UTF-16 unit of a {@code \}{@code uXXXX} escape at {@code i}, or -1 if there is none there. */
    private static int unitAt(String text, int i) {
        if (i + ESCAPE > text.length() || text.charAt(i) != '\\' || text.charAt(i + 1) != 'u') {
            return -1;
        }
        int unit = 0;
        for (int k = i + 2; k < i + ESCAPE; k++) {
            int digit = hexDigit(text.charAt(k));
            if (digit < 0) {
                return -1;
            }
            unit = unit << 4 | digit;
        }
        return unit;
    }

    /** JSON's hex digits are ASCII only ({@link Character#digit} would also take other scripts' digits). */
    private static int hexDigit(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        char lower = (char) (ch | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
