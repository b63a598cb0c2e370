package io.ipnpipeline.contracts.ipn;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * {@link Instant#parse} with a fast path for the one form NOWPayments and the gateway write,
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}; any other text goes to {@link Instant#parse} itself, so the results
 * and the exceptions are exactly its own. Three timestamps are read per IPN, and the general parser is slow.
 * {@link #format} is the way back, for the gateway's received-at header and the enriched records.
 */
public final class IsoInstants {

    private static final int SECONDS_PER_DAY = 86_400;
    /** 9999-12-31T23:59:59Z: beyond it ISO_INSTANT adds a sign and digits. */
    private static final long MAX_FAST_SECOND = 253_402_300_799L;
    /** 0001-01-01T00:00:00Z: with {@link #MAX_FAST_SECOND}, the years PostgreSQL's timestamptz reads back. */
    private static final long MIN_STORABLE_SECOND = -62_135_596_800L;
    /** The longest text {@link #formatAscii} writes: {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    public static final int MAX_FORMATTED_LENGTH = 30;

    private IsoInstants() {
    }

    /** As {@link Instant#parse}: the instant, or a {@link java.time.format.DateTimeParseException}. */
    public static Instant parse(CharSequence text) {
        Instant fast = parseCommonForm(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /**
     * The instant of {@code text} if it lies in years 0001 to 9999 UTC, else null; also null for text that is no
     * instant. For timestamps that are informational and must never cost a record: year 0000, negative years and
     * years past 9999 are valid ISO-8601, but PostgreSQL refuses them (22008), so a payment carrying one would be
     * dead-lettered by the sink, and again on every redrive.
     */
    public static Instant parseStorable(CharSequence text) {
        Instant instant;
        try {
            instant = parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
        return isStorable(instant) ? instant : null;
    }

    /** Whether {@code instant} lies in years 0001 to 9999 UTC. */
    public static boolean isStorable(Instant instant) {
        long seconds = instant.getEpochSecond();
        return seconds >= MIN_STORABLE_SECOND && seconds <= MAX_FAST_SECOND;
    }

    private static Instant parseCommonForm(CharSequence text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = fraction(text, 19, length - 1);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || nanos < 0) {
            return null;
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The value of {@code count} ASCII digits, or -1. */
    private static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Nanoseconds of {@code .d{1,9}} between from and end, 0 when there is none, -1 when it is not that. */
    private static int fraction(CharSequence text, int from, int end) {
        if (from == end) {
            return 0;
        }
        int count = end - from - 1;
        if (text.charAt(from) != '.' || count < 1 || count > 9) {
            return -1;
        }
        int value = digits(text, from + 1, count);
        if (value < 0) {
            return -1;
        }
        for (int i = count; i < 9; i++) {
            value *= 10;
        }
        return value;
    }

    /**
     * Exactly {@link Instant#toString()} (ISO_INSTANT: seconds always, the fraction in groups of three digits,
     * only as long as needed) without a DateTimeFormatter, which is most of what writing a timestamp costs.
     * Instants outside years 1970 to 9999 take {@code toString()} itself.
     */
    public static String format(Instant instant) {
        byte[] out = new byte[MAX_FORMATTED_LENGTH];
        int end = formatAscii(instant, out, 0);
        return end < 0 ? instant.toString() : new String(out, 0, end, StandardCharsets.ISO_8859_1);
    }

    /**
     * {@link #format} as ASCII bytes into {@code out} at {@code pos}, for writers that build records in a byte
     * buffer: the position after the text, or -1 (nothing written) for an instant outside years 1970 to 9999,
     * which the caller writes as {@code instant.toString()}. Needs room for {@link #MAX_FORMATTED_LENGTH} bytes.
     */
    public static int formatAscii(Instant instant, byte[] out, int pos) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds > MAX_FAST_SECOND) {
            return -1;
        }
        LocalDate date = LocalDate.ofEpochDay(seconds / SECONDS_PER_DAY);
        int secondOfDay = (int) (seconds % SECONDS_PER_DAY);
        int nano = instant.getNano();
        int p = putDigits(out, pos, date.getYear(), 4);
        out[p++] = '-';
        p = putDigits(out, p, date.getMonthValue(), 2);
        out[p++] = '-';
        p = putDigits(out, p, date.getDayOfMonth(), 2);
        out[p++] = 'T';
        p = putDigits(out, p, secondOfDay / 3600, 2);
        out[p++] = ':';
        p = putDigits(out, p, secondOfDay / 60 % 60, 2);
        out[p++] = ':';
        p = putDigits(out, p, secondOfDay % 60, 2);
        if (nano != 0) {
            out[p++] = '.';
            if (nano % 1_000_000 == 0) {
                p = putDigits(out, p, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                p = putDigits(out, p, nano / 1_000, 6);
            } else {
                p = putDigits(out, p, nano, 9);
            }
        }
        out[p++] = 'Z';
        return p;
    }

    /** {@code value} zero-padded to {@code width} digits at {@code pos}; returns the position after it. */
    private static int putDigits(byte[] out, int pos, int value, int width) {
        int v = value;
        for (int i = pos + width - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return pos + width;
    }
}
