package io.ipnpipeline.contracts.ipn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The fast path of {@link IpnParser#parse}: one pass of Jackson's streaming parser over the body, keeping only the
 * fields an {@link Ipn} has, with no tree in between. It gives exactly the tree path's answer (same values, same
 * scales, same rejection reasons); for anything unusual (malformed JSON, a number that cannot be read, an object
 * or a boolean where the IPN has a scalar, a number where it has text) it answers {@code null} and the caller
 * falls back to the tree path, which is the one definition of the rules.
 */
final class StreamingIpnReader {

    private static final int PAYMENT_ID = 0;
    private static final int PARENT_PAYMENT_ID = 1;
    private static final int INVOICE_ID = 2;
    private static final int PAYMENT_STATUS = 3;
    private static final int PAY_ADDRESS = 4;
    private static final int PRICE_AMOUNT = 5;
    private static final int PRICE_CURRENCY = 6;
    private static final int PAY_AMOUNT = 7;
    private static final int ACTUALLY_PAID = 8;
    private static final int PAY_CURRENCY = 9;
    private static final int ORDER_ID = 10;
    private static final int ORDER_DESCRIPTION = 11;
    private static final int OUTCOME_AMOUNT = 12;
    private static final int OUTCOME_CURRENCY = 13;
    private static final int PAYIN_HASH = 14;
    private static final int PAYOUT_HASH = 15;
    private static final int CREATED_AT = 16;
    private static final int UPDATED_AT = 17;
    static final int FIELDS = 18;

    private static final String[] AMOUNT_NAMES = new String[FIELDS];

    static {
        AMOUNT_NAMES[PRICE_AMOUNT] = "price_amount";
        AMOUNT_NAMES[PAY_AMOUNT] = "pay_amount";
        AMOUNT_NAMES[ACTUALLY_PAID] = "actually_paid";
        AMOUNT_NAMES[OUTCOME_AMOUNT] = "outcome_amount";
    }

    /** Marks a field whose value is JSON null (absent fields stay Java null; both read the same). */
    static final Object JSON_NULL = new Object();

    /**
     * A JSON number as the tree holds it: a decimal (for a float, with trailing zeros stripped) and, for an
     * integer that fits a long, that long.
     */
    record Num(boolean integer, Long small, BigDecimal decimal) {
    }

    private StreamingIpnReader() {
    }

    /** The parse result, or null when only the tree path can answer for this body. */
    static IpnParser.Result read(byte[] body) {
        Object[] values = new Object[FIELDS];
        // nearly every body is plain ASCII JSON, which a byte scanner reads in about half of Jackson's time
        return AsciiIpnScanner.scan(body, values) ? build(values, body) : readWithJackson(body);
    }

    /** The Jackson pass alone: what {@link AsciiIpnScanner} must agree with for every body it reads. */
    static IpnParser.Result readWithJackson(byte[] body) {
        Object[] values = new Object[FIELDS];
        try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                int field = fieldIndex(parser.currentName());
                JsonToken value = parser.nextToken();
                if (field < 0) {
                    if (!consumeUnknown(parser, value)) {
                        return null;
                    }
                } else {
                    Object read = scalar(parser, value);
                    if (read == null) {
                        return null;
                    }
                    values[field] = read;
                }
            }
            if (token != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException | NumberFormatException | ArithmeticException e) {
            return null;
        }
        return build(values, body);
    }

    static int fieldIndex(String name) {
        return switch (name) {
            case "payment_id" -> PAYMENT_ID;
            case "parent_payment_id" -> PARENT_PAYMENT_ID;
            case "invoice_id" -> INVOICE_ID;
            case "payment_status" -> PAYMENT_STATUS;
            case "pay_address" -> PAY_ADDRESS;
            case "price_amount" -> PRICE_AMOUNT;
            case "price_currency" -> PRICE_CURRENCY;
            case "pay_amount" -> PAY_AMOUNT;
            case "actually_paid" -> ACTUALLY_PAID;
            case "pay_currency" -> PAY_CURRENCY;
            case "order_id" -> ORDER_ID;
            case "order_description" -> ORDER_DESCRIPTION;
            case "outcome_amount" -> OUTCOME_AMOUNT;
            case "outcome_currency" -> OUTCOME_CURRENCY;
            case "payin_hash" -> PAYIN_HASH;
            case "payout_hash" -> PAYOUT_HASH;
            case "created_at" -> CREATED_AT;
            case "updated_at" -> UPDATED_AT;
            default -> -1;
        };
    }

    /** A string, a number or null; anything else (object, array, boolean) is left to the tree path. */
    private static Object scalar(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> JSON_NULL;
            case VALUE_NUMBER_INT -> new Num(true, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? null : parser.getLongValue(), parser.getDecimalValue());
            case VALUE_NUMBER_FLOAT -> new Num(false, null, treeDecimal(parser.getDecimalValue()));
            default -> null;
        };
    }

    /** As the tree reads a JSON float (USE_BIG_DECIMAL_FOR_FLOATS, trailing zeros stripped: 2.50 is 2.5). */
    static BigDecimal treeDecimal(BigDecimal value) {
        try {
            return value.stripTrailingZeros();
        } catch (ArithmeticException e) {
            return value;
        }
    }

    /**
     * Walks an unknown field's value as the tree would read it, so the same bodies fail the same way: every
     * float is read as a BigDecimal (an exponent too large for one rejects the body in the tree path too).
     */
    private static boolean consumeUnknown(JsonParser parser, JsonToken value) throws IOException {
        if (value == null) {
            return false;
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            parser.getDecimalValue();
            return true;
        }
        if (!value.isStructStart()) {
            return true;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return false;
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                parser.getDecimalValue();
            }
        }
        return true;
    }

    private static IpnParser.Result build(Object[] values, byte[] body) {
        Optional<Long> paymentId = integral(values[PAYMENT_ID]).filter(id -> id > 0);
        if (paymentId.isEmpty()) {
            return new IpnParser.Rejected("no numeric payment_id");
        }
        Optional<PaymentStatus> status = values[PAYMENT_STATUS] instanceof String word
                ? PaymentStatus.fromWire(word) : Optional.empty();
        if (status.isEmpty()) {
            return new IpnParser.Rejected("unknown payment_status");
        }
        Object parent = values[PARENT_PAYMENT_ID];
        if (parent != null && parent != JSON_NULL && integral(parent).isEmpty()) {
            return new IpnParser.Rejected(IpnParser.UNREADABLE_PARENT);
        }
        for (int field : new int[] {PAY_ADDRESS, PRICE_CURRENCY, PAY_CURRENCY, ORDER_ID, ORDER_DESCRIPTION,
                OUTCOME_CURRENCY, PAYIN_HASH, PAYOUT_HASH}) {
            if (values[field] instanceof Num) {
                return null;
            }
        }
        BigDecimal[] amounts = new BigDecimal[FIELDS];
        for (int field : new int[] {PRICE_AMOUNT, PAY_AMOUNT, ACTUALLY_PAID, OUTCOME_AMOUNT}) {
            try {
                amounts[field] = amount(values[field]);
            } catch (NumberFormatException e) {
                return new IpnParser.Rejected(AMOUNT_NAMES[field] + " is not a number");
            }
        }
        return new IpnParser.Parsed(new Ipn(
                paymentId.get(),
                optionalId(values[PARENT_PAYMENT_ID]),
                optionalId(values[INVOICE_ID]),
                status.get(),
                text(values[PAY_ADDRESS]),
                amounts[PRICE_AMOUNT],
                text(values[PRICE_CURRENCY]),
                amounts[PAY_AMOUNT],
                amounts[ACTUALLY_PAID],
                text(values[PAY_CURRENCY]),
                text(values[ORDER_ID]),
                text(values[ORDER_DESCRIPTION]),
                amounts[OUTCOME_AMOUNT],
                text(values[OUTCOME_CURRENCY]),
                text(values[PAYIN_HASH]),
                text(values[PAYOUT_HASH]),
                instant(values[CREATED_AT]),
                instant(values[UPDATED_AT]),
                new String(body, StandardCharsets.UTF_8)));
    }

    private static Optional<Long> integral(Object value) {
        if (value instanceof Num number) {
            if (number.integer()) {
                return Optional.ofNullable(number.small());
            }
            try {
                BigInteger exact = number.decimal().toBigIntegerExact();
                return exact.bitLength() < 64 ? Optional.of(exact.longValue()) : Optional.empty();
            } catch (ArithmeticException fractional) {
                return Optional.empty();
            }
        }
        if (value instanceof String text && isDigits(text)) {
            try {
                return Optional.of(Long.parseLong(text));
            } catch (NumberFormatException overflow) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The tree path's {@code \d{1,19}}. */
    private static boolean isDigits(String text) {
        if (text.isEmpty() || text.length() > 19) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Long optionalId(Object value) {
        return value == null || value == JSON_NULL ? null : integral(value).orElse(null);
    }

    private static String text(Object value) {
        return value instanceof String text ? text : null;
    }

    private static BigDecimal amount(Object value) {
        if (value instanceof Num number) {
            return number.decimal();
        }
        return value instanceof String text ? new BigDecimal(text.strip()) : null;
    }

    /** As the tree path: unreadable or unstorable timestamps are dropped (see {@link IsoInstants#parseStorable}). */
    private static Instant instant(Object value) {
        return value instanceof String text ? IsoInstants.parseStorable(text) : null;
    }
}
