package io.ipnpipeline.contracts.signature;

/** JavaScript's {@code String.prototype.trim}: Java's {@code strip} misses U+00A0 and U+FEFF, which JS trims. */
final class JsText {

    private JsText() {
    }

    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isJsWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isJsWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** ECMAScript WhiteSpace and LineTerminator code points. */
    static boolean isJsWhitespace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\uFEFF', '\u2028', '\u2029' -> true;
            default -> Character.getType(c) == Character.SPACE_SEPARATOR;
        };
    }
}
