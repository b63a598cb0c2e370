package io.ipnpipeline.contracts.payment;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} (ISO_INSTANT: seconds always, the fraction in groups of three digits, only as long
 * as needed) without going through a DateTimeFormatter, which is most of what writing an enriched record's three
 * timestamps costs. Instants outside years 1970 to 9999 take {@code toString()} itself.
 */
final class IsoInstantText {

    private static final long SECONDS_PER_DAY = 86_400;
    /** 9999-12-31T23:59:59Z: beyond it ISO_INSTANT adds a sign and digits. */
    private static final long MAX_FAST_SECOND = 253_402_300_799L;

    private IsoInstantText() {
    }

    static String of(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds > MAX_FAST_SECOND) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(seconds / SECONDS_PER_DAY);
        int secondOfDay = (int) (seconds % SECONDS_PER_DAY);
        int nano = instant.getNano();
        char[] out = new char[30];
        int pos = digits(out, 0, date.getYear(), 4);
        out[pos++] = '-';
        pos = digits(out, pos, date.getMonthValue(), 2);
        out[pos++] = '-';
        pos = digits(out, pos, date.getDayOfMonth(), 2);
        out[pos++] = 'T';
        pos = digits(out, pos, secondOfDay / 3600, 2);
        out[pos++] = ':';
        pos = digits(out, pos, secondOfDay / 60 % 60, 2);
        out[pos++] = ':';
        pos = digits(out, pos, secondOfDay % 60, 2);
        if (nano != 0) {
            out[pos++] = '.';
            if (nano % 1_000_000 == 0) {
                pos = digits(out, pos, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                pos = digits(out, pos, nano / 1_000, 6);
            } else {
                pos = digits(out, pos, nano, 9);
            }
        }
        out[pos++] = 'Z';
        return new String(out, 0, pos);
    }

    /** {@code value} zero-padded to {@code width} digits at {@code pos}; returns the position after it. */
    private static int digits(char[] out, int pos, int value, int width) {
        int v = value;
        for (int i = pos + width - 1; i >= pos; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return pos + width;
    }
}
