package io.ipnpipeline.sink.db;

/**
 * PostgreSQL cannot store U+0000: not in text (the server refuses the byte) and not in jsonb (it refuses the
 * {@code \u0000} escape). An authentic IPN carrying one is still a paid customer, so rather than send it to the
 * dead-letter topic, the sink stores U+FFFD (the replacement character) in its place, and in nothing else.
 */
final class NulFree {

    private static final char NUL = '\0';
    private static final String NUL_ESCAPE = "\\u0000";
    private static final String REPLACEMENT_ESCAPE = "\\uFFFD";

    private NulFree() {
    }

    /** Text for a text column. */
    static String text(String value) {
        return value.indexOf(NUL) < 0 ? value : value.replace(NUL, '\uFFFD');
    }

    /**
     * JSON for a jsonb column: each escape of U+0000 becomes the escape of U+FFFD. Escapes are walked pairwise, so
     * an escaped backslash followed by the letters {@code u0000} (text, not a NUL) is left as it is.
     */
    static String json(String value) {
        String text = text(value);
        if (!text.contains(NUL_ESCAPE)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                i++;
            } else if (text.startsWith(NUL_ESCAPE, i)) {
                out.append(REPLACEMENT_ESCAPE);
                i += NUL_ESCAPE.length();
            } else {
                out.append(text, i, Math.min(i + 2, text.length()));
                i += 2;
            }
        }
        return out.toString();
    }
}
