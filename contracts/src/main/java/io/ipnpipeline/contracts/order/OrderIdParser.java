package io.ipnpipeline.contracts.order;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses every order-id form in nowpayments-ipn.md, or says why it cannot. */
public final class OrderIdParser {

    /** Digits only: the sign is decided by the form, never by a stray character. */
    private static final Pattern PIPE = Pattern.compile("PGP-(\\d{1,19})\\|(-?\\d{1,19})");
    private static final Pattern DASH_DOUBLED = Pattern.compile("PGP-(\\d{1,19})--(\\d{1,19})");
    private static final Pattern DASH_LOST = Pattern.compile("PGP-(\\d{1,19})-(\\d{1,19})");
    /** Longer than any valid form: refuse before running a regex over attacker-sized input. */
    private static final int MAX_LENGTH = 64;

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
        Matcher pipe = PIPE.matcher(value);
        if (pipe.matches()) {
            return build(pipe.group(1), pipe.group(2), false, OrderId.Form.PIPE);
        }
        Matcher doubled = DASH_DOUBLED.matcher(value);
        if (doubled.matches()) {
            return build(doubled.group(1), doubled.group(2), true, OrderId.Form.DASH_SIGN_DOUBLED);
        }
        Matcher lost = DASH_LOST.matcher(value);
        if (lost.matches()) {
            return build(lost.group(1), lost.group(2), true, OrderId.Form.DASH_SIGN_LOST);
        }
        return new Unparseable("order_id matches no known form");
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
