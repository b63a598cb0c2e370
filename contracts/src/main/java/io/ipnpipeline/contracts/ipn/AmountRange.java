package io.ipnpipeline.contracts.ipn;

import java.math.BigDecimal;

/**
 * The amounts an IPN may carry. Any finite decimal is well-formed JSON, but no currency has 10^30 units or 10^-60 of
 * one, and such numbers are not harmless: rounding {@code 1e99999999} to cents takes a stream thread close to a minute (far
 * past its transaction timeout, so the partition would retry it forever), and a 1,500-digit amount is written into
 * the parking store but exceeds what the JSON reader accepts back (1,000 digits), which would block every payment
 * parked for that channel. An IPN with such an amount goes to the dead-letter topic with its reason instead. The
 * processor holds a channel mapping's prices to the same range.
 */
public final class AmountRange {

    /** Digits before the decimal point: a trillion trillion units is beyond any price or payout. */
    static final int MAX_INTEGER_DIGITS = 30;
    /** Digits after it: crypto currencies use at most 18 (wei); room to spare. */
    static final int MAX_FRACTION_DIGITS = 60;
    /** All significant digits, checked first so a long number is rejected before anything else counts them. */
    static final int MAX_DIGITS = MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS;

    private AmountRange() {
    }

    /** {@code result} as it is, unless it is a parsed IPN with an amount out of range: then a rejection naming it. */
    static IpnParser.Result checked(IpnParser.Result result) {
        if (!(result instanceof IpnParser.Parsed parsed)) {
            return result;
        }
        String field = firstOutOfRange(parsed.ipn());
        return field == null ? result : new IpnParser.Rejected(field + " is out of range");
    }

    /** Runs for every IPN the processor reads, so plain checks, nothing allocated. */
    private static String firstOutOfRange(Ipn ipn) {
        if (!inRange(ipn.priceAmount())) {
            return "price_amount";
        }
        if (!inRange(ipn.payAmount())) {
            return "pay_amount";
        }
        if (!inRange(ipn.actuallyPaid())) {
            return "actually_paid";
        }
        return inRange(ipn.outcomeAmount()) ? null : "outcome_amount";
    }

    /** An absent amount is in range. */
    public static boolean inRange(BigDecimal amount) {
        if (amount == null) {
            return true;
        }
        // precision and scale only, never arithmetic: both are cheap for any BigDecimal, however large its exponent
        int precision = amount.precision();
        int scale = amount.scale();
        return precision <= MAX_DIGITS && scale <= MAX_FRACTION_DIGITS && (long) precision - scale <= MAX_INTEGER_DIGITS;
    }
}
