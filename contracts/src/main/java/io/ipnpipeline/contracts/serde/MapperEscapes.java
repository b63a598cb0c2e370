package io.ipnpipeline.contracts.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the contracts' mapper ({@link Json}) escapes the ASCII characters of a string: {@code "} and {@code \}, the
 * five short control escapes, every other control character as a backslash-u escape with four upper-case hex
 * digits. The writers that build the mapper's exact bytes by hand (the processor's enriched values, the sink's
 * commands) take their escapes from here, so they cannot drift from each other or from the mapper
 * ({@code MapperEscapesTest} holds this table to the mapper for all 128 characters).
 */
public final class MapperEscapes {

    /** {@link #of}: the character is written as it is. */
    public static final byte KEEP = 0;
    /** {@link #of}: the character is written as a backslash, {@code u00} and its two {@link #hexDigit}s. */
    public static final byte HEX = 1;

    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ESCAPES = new byte[128];

    static {
        Arrays.fill(ESCAPES, 0, 32, HEX);
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private MapperEscapes() {
    }

    /**
     * The escape of an ASCII character (below 128): {@link #KEEP}, {@link #HEX}, or otherwise the letter written
     * after the backslash.
     */
    public static byte of(char ascii) {
        return ESCAPES[ascii];
    }

    /** The upper-case hex digit of a nibble (0-15), as the mapper writes it. */
    public static byte hexDigit(int nibble) {
        return HEX_DIGITS[nibble];
    }
}
