package io.ipnpipeline.sink.db;

/** PostgreSQL's COPY text format for one value: the characters it gives a meaning to, escaped. */
public final class CopyText {

    private CopyText() {
    }

    /**
     * Appends {@code value} with backslash, tab, newline and carriage return escaped. The text between specials is
     * appended in bulk: the raw IPN is most of a ledger row and usually has no special at all.
     */
    public static void appendEscaped(StringBuilder out, String value) {
        int length = value.length();
        int special = firstSpecial(value, 0, length);
        if (special == length) {
            out.append(value);
            return;
        }
        int run = 0;
        while (special < length) {
            out.append(value, run, special).append('\\').append(escapeLetter(value.charAt(special)));
            run = special + 1;
            special = firstSpecial(value, run, length);
        }
        out.append(value, run, length);
    }

    private static int firstSpecial(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch <= '\r' && (ch == '\t' || ch == '\n' || ch == '\r')) {
                return i;
            }
        }
        return to;
    }

    /** The letter after the backslash for one of the four specials. */
    private static char escapeLetter(char special) {
        return switch (special) {
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\r' -> 'r';
            default -> '\\';
        };
    }
}
