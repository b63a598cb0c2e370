package io.ipnpipeline.contracts.signature;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JavaScript's Number::toString(x) as {@code JSON.stringify} uses it (ECMA-262, Number::toString): the
 * shortest decimal that reads back as the same double (the closest such, ties to even digits), laid out
 * without a trailing ".0", in exponent form below 1e-6 and from 1e21 up. Java 17's {@code Double.toString}
 * is neither always shortest nor laid out this way ({@code 1.0E-7}, {@code 15.0}), so it must not be used.
 */
final class JsNumbers {

    /** Below this every whole double is printed exactly as the integer it is. */
    private static final double EXACT_INTEGER_LIMIT = 0x1p53;
    private static final int MAX_SIGNIFICANT_DIGITS = 17;
    /**
     * DBL_DIG: every decimal of at most 15 significant digits within the normal range reads back from its
     * nearest double unchanged when rounded to 15 digits, so no two such decimals share a double.
     */
    private static final int ROUND_TRIP_DIGITS = 15;
    /** Well inside the normal range (about 2.2e-308 to 1.8e308), where DBL_DIG holds. */
    private static final int SAFE_EXPONENT = 300;

    private JsNumbers() {
    }

    /** What {@code JSON.stringify} prints for the number {@code x}: NaN and infinities become {@code null}. */
    static String format(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "null";
        }
        if (x == 0) {
            return "0"; // also -0
        }
        if (Math.abs(x) < EXACT_INTEGER_LIMIT && x == Math.rint(x)) {
            return Long.toString((long) x);
        }
        String magnitude = layout(shortest(Math.abs(x)));
        return x < 0 ? "-" + magnitude : magnitude;
    }

    /**
     * As {@code format(decimal.doubleValue())}, from the exact decimal a body spelled, which is what JSON.parse
     * turns into a double. The common case needs no search: a decimal of at most 15 significant digits (amounts
     * such as 0.00076967) is the only decimal that short which reads as its double (DBL_DIG), so it is that
     * double's shortest round-trip form, and only its layout remains. Anything else takes the exact path.
     */
    static String format(BigDecimal decimal) {
        if (decimal.signum() == 0) {
            return "0"; // also -0.0
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        int digits = stripped.precision();
        long exponent = (long) digits - stripped.scale() - 1; // decimal = d.ddd x 10^exponent
        if (digits > ROUND_TRIP_DIGITS || Math.abs(exponent) > SAFE_EXPONENT) {
            return format(decimal.doubleValue());
        }
        String magnitude = layout(stripped.abs());
        return stripped.signum() < 0 ? "-" + magnitude : magnitude;
    }

    /**
     * The shortest decimal that rounds back to {@code x} (x &gt; 0). If no p-digit decimal works, no shorter
     * one does (a shorter decimal is also a p-digit one), so search downwards from a length known to work:
     * 17 digits always do, and Java's own {@code Double.toString} round-trips, usually in the shortest length
     * or one digit more (but sometimes in 18 or more digits, e.g. 2^57, hence the cap).
     */
    private static BigDecimal shortest(double x) {
        BigDecimal exact = new BigDecimal(x);
        int javaDigits = new BigDecimal(Double.toString(x)).stripTrailingZeros().precision();
        int start = Math.min(javaDigits, MAX_SIGNIFICANT_DIGITS);
        BigDecimal best = roundTrip(exact, start, x);
        if (best == null) {
            best = roundTrip(exact, MAX_SIGNIFICANT_DIGITS, x); // defensive: 17 digits always round-trip
        }
        for (int digits = start - 1; digits >= 1; digits--) {
            BigDecimal shorter = roundTrip(exact, digits, x);
            if (shorter == null) {
                break;
            }
            best = shorter;
        }
        return best;
    }

    /**
     * The decimal of {@code digits} significant digits closest to {@code x} that reads back as {@code x}, or
     * null. Only the two decimals either side of x can qualify; the nearer one is tried first, the other also,
     * because next to a power of two the round-trip interval is lopsided and only the farther one may fit.
     */
    private static BigDecimal roundTrip(BigDecimal exact, int digits, double x) {
        BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        if (nearest.doubleValue() == x) {
            return nearest;
        }
        RoundingMode otherSide = nearest.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
        BigDecimal other = exact.round(new MathContext(digits, otherSide));
        return other.doubleValue() == x ? other : null;
    }

    /** ECMA-262 Number::toString layout of a positive decimal, from its digits s and exponent n. */
    private static String layout(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger unscaled = stripped.unscaledValue();
        String s = unscaled.toString();
        int k = s.length();
        int n = k - stripped.scale(); // value = 0.s * 10^n
        StringBuilder out = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            out.append(s);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(s);
        } else {
            out.append(s.charAt(0));
            if (k > 1) {
                out.append('.').append(s, 1, k);
            }
            int e = n - 1;
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return out.toString();
    }
}
