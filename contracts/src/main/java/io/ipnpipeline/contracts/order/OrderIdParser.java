package io.ipnpipeline.contracts.order;

/**
 * Parses every order-id form in nowpayments-ipn.md, or says why it cannot. The forms, with digits only (the sign
 * is decided by the form, never by a stray character) and 1 to 19 of them per id:
 * {@code PGP-<user>|<channel>} (the channel with or without its minus), {@code PGP-<user>--<channel>} and
 * {@code PGP-<user>-<channel>}. Read by hand rather than by regular expressions: every IPN's order id is parsed,
 * and three regex matches were a visible share of the processor's work.
 */
public final class OrderIdParser {

    private static final String PREFIX = "PGP-";
    private static final int MAX_DIGITS = 19;
    /** Longer than any valid form: refuse before scanning attacker-sized input. */
    private static final int MAX_LENGTH = 64;
    private static final Unparseable NO_FORM = new Unparseable("order_id matches no known form");

    private OrderIdParser() {
    }

    /** The outcome of parsing: a placed order id, or the reason it could not be placed. */
    public sealed interface Result permits Parsed, Unparseable {
    }

    public record Parsed(OrderId orderId) implements Result {
    }

    public record Unparseable(String reason) implements Result {
    }

    public static Result parse(String raw) {
        if (raw == null) {
            return new Unparseable("order_id is null");
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            return new Unparseable("order_id is empty");
        }
        if (value.length() > MAX_LENGTH) {
            return new Unparseable("order_id is longer than " + MAX_LENGTH + " characters");
        }
        if (!value.startsWith(PREFIX)) {
            return NO_FORM;
        }
        int userStart = PREFIX.length();
        int userEnd = digitsEnd(value, userStart);
        if (!isIdLength(userEnd - userStart) || userEnd == value.length()) {
            return NO_FORM;
        }
        String user = value.substring(userStart, userEnd);
        char separator = value.charAt(userEnd);
        if (separator == '|') {
            int channelStart = userEnd + 1;
            boolean signed = channelStart < value.length() && value.charAt(channelStart) == '-';
            return channel(value, user, channelStart, signed ? channelStart + 1 : channelStart, false,
                    OrderId.Form.PIPE);
        }
        if (separator != '-') {
            return NO_FORM;
        }
        boolean doubled = userEnd + 1 < value.length() && value.charAt(userEnd + 1) == '-';
        int digitsStart = userEnd + (doubled ? 2 : 1);
        return channel(value, user, digitsStart, digitsStart, true,
                doubled ? OrderId.Form.DASH_SIGN_DOUBLED : OrderId.Form.DASH_SIGN_LOST);
    }

    /** The channel part, from {@code textStart} (its sign, if the form keeps one) to the end of the value. */
    private static Result channel(String value, String user, int textStart, int digitsStart, boolean restoreSign,
            OrderId.Form form) {
        int digitsEnd = digitsEnd(value, digitsStart);
        if (digitsEnd != value.length() || !isIdLength(digitsEnd - digitsStart)) {
            return NO_FORM;
        }
        return build(user, value.substring(textStart), restoreSign, form);
    }

    /** Where the run of ASCII digits starting at {@code from} ends. */
    private static int digitsEnd(String value, int from) {
        int i = from;
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static boolean isIdLength(int digits) {
        return digits >= 1 && digits <= MAX_DIGITS;
    }

    private static Result build(String userDigits, String channelText, boolean restoreSign, OrderId.Form form) {
        long userId;
        long channelId;
        try {
            userId = Long.parseLong(userDigits);
            channelId = Long.parseLong(channelText);
        } catch (NumberFormatException overflow) {
            return new Unparseable("order_id has an id too large for a 64-bit integer");
        }
        if (userId <= 0) {
            return new Unparseable("order_id has a user id that is not positive");
        }
        if (restoreSign) {
            channelId = -channelId;
        }
        if (channelId >= 0) {
            return new Unparseable("order_id has a channel id that is not negative");
        }
        return new Parsed(new OrderId(userId, channelId, form));
    }
}
