package io.ipnpipeline.gateway.ipn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link Instant#toString()} as UTF-8 bytes, for the {@code ipn.received_at} header of every IPN, without the
 * {@code DateTimeFormatter} that costs a few percent of an event loop per IPN: the date and time of day are
 * formatted once per second, only the fraction per call. Same text: fraction in groups of three digits, as many
 * as it needs (none, milli, micro or nano).
 */
final class IsoInstant {

    private static final int PREFIX = "2026-01-01T00:00:00".length();

    /** The last second formatted; replaced whole, so a racing reader sees an old or a new pair, never a mix. */
    private static volatile Second last = new Second(Long.MIN_VALUE, new byte[0]);

    private IsoInstant() {
    }

    static byte[] bytes(Instant instant) {
        long seconds = instant.getEpochSecond();
        Second second = last;
        if (second.epochSecond != seconds) {
            String text = Instant.ofEpochSecond(seconds).toString();
            if (text.length() != PREFIX + 1) {
                return instant.toString().getBytes(StandardCharsets.UTF_8); // a year outside 0000..9999
            }
            second = new Second(seconds, text.substring(0, PREFIX).getBytes(StandardCharsets.US_ASCII));
            last = second;
        }
        int nanos = instant.getNano();
        int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        byte[] out = new byte[PREFIX + (digits == 0 ? 0 : digits + 1) + 1];
        System.arraycopy(second.prefix, 0, out, 0, PREFIX);
        int at = PREFIX;
        if (digits > 0) {
            out[at++] = '.';
            int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
            for (int i = at + digits - 1; i >= at; i--) {
                out[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            at += digits;
        }
        out[at] = 'Z';
        return out;
    }

    private record Second(long epochSecond, byte[] prefix) {
    }
}
