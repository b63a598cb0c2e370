package io.ipnpipeline.sink.db;

/** PostgreSQL's COPY text format for one value: the characters it gives a meaning to, escaped. */
public final class CopyText {

    private CopyText() {
    }

    /** Appends {@code value} with backslash, tab, newline and carriage return escaped. */
    public static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }
}
