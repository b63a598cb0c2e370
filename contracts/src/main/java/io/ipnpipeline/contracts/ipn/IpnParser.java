package io.ipnpipeline.contracts.ipn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns IPN body bytes into an {@link Ipn}, or a reason it cannot. Pure: used by the gateway (to find the
 * payment id) and by the processor (to route unusable records to the dead-letter topic).
 */
public final class IpnParser {

    /** The rejection of a set parent_payment_id that is not an id. */
    static final String UNREADABLE_PARENT = "parent_payment_id is not an id";

    private IpnParser() {
    }

    public sealed interface Result permits Parsed, Rejected {
    }

    public record Parsed(Ipn ipn) implements Result {
    }

    /** Why a body is unusable; {@code reason} is short, stable and safe to put in a header or a log line. */
    public record Rejected(String reason) implements Result {
    }

    public static Result parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new Rejected("empty body");
        }
        // the processor parses every IPN: one streaming pass answers for ordinary bodies, the tree for the rest
        Result fast = StreamingIpnReader.read(body);
        return fast != null ? AmountRange.checked(fast) : parseTree(body);
    }

    /** The definition of the rules, through a JSON tree; {@link StreamingIpnReader} must agree with it. */
    static Result parseTree(byte[] body) {
        if (body == null || body.length == 0) {
            return new Rejected("empty body");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return new Rejected("not JSON");
        } catch (NumberFormatException e) {
            // Jackson reads decimals as BigDecimal and gives up on an exponent like 1e99999999999 this way
            return new Rejected("unreadable number");
        }
        if (!(root instanceof ObjectNode object)) {
            return new Rejected("not a JSON object");
        }
        return AmountRange.checked(fromObject(object, new String(body, StandardCharsets.UTF_8)));
    }

    /** The payment id of a body, if it has an integral, positive one; what the gateway keys records by. */
    public static Optional<Long> paymentId(JsonNode root) {
        return root == null ? Optional.empty() : integral(root.get("payment_id")).filter(id -> id > 0);
    }

    private static Result fromObject(ObjectNode object, String rawJson) {
        Optional<Long> paymentId = paymentId(object);
        if (paymentId.isEmpty()) {
            return new Rejected("no numeric payment_id");
        }
        JsonNode statusNode = object.get("payment_status");
        Optional<PaymentStatus> status = statusNode != null && statusNode.isTextual()
                ? PaymentStatus.fromWire(statusNode.textValue()) : Optional.empty();
        if (status.isEmpty()) {
            return new Rejected("unknown payment_status");
        }
        if (unreadableParent(object.get("parent_payment_id"))) {
            return new Rejected(UNREADABLE_PARENT);
        }
        try {
            return new Parsed(new Ipn(
                    paymentId.get(),
                    optionalId(object, "parent_payment_id"),
                    optionalId(object, "invoice_id"),
                    status.get(),
                    text(object, "pay_address"),
                    amount(object, "price_amount"),
                    text(object, "price_currency"),
                    amount(object, "pay_amount"),
                    amount(object, "actually_paid"),
                    text(object, "pay_currency"),
                    text(object, "order_id"),
                    text(object, "order_description"),
                    amount(object, "outcome_amount"),
                    text(object, "outcome_currency"),
                    text(object, "payin_hash"),
                    text(object, "payout_hash"),
                    instant(object, "created_at"),
                    instant(object, "updated_at"),
                    rawJson));
        } catch (FieldException e) {
            return new Rejected(e.getMessage());
        }
    }

    private static Optional<Long> integral(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(node.longValue());
        }
        if (node.isTextual() && node.textValue().matches("\\d{1,19}")) {
            try {
                return Optional.of(Long.parseLong(node.textValue()));
            } catch (NumberFormatException overflow) {
                return Optional.empty();
            }
        }
        if (node.isBigDecimal() || node.isDouble()) {
            BigDecimal value = node.decimalValue();
            try {
                BigInteger exact = value.toBigIntegerExact();
                return exact.bitLength() < 64 ? Optional.of(exact.longValue()) : Optional.empty();
            } catch (ArithmeticException fractional) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * A parent_payment_id that is set but not an id. It marks a repeated deposit, which the processor must hold
     * for review rather than place; read as absent, the deposit would be placed (invited and paid out again), so
     * such a body goes to the dead-letter topic with a reason instead, where an operator sees it.
     */
    private static boolean unreadableParent(JsonNode node) {
        return node != null && !node.isNull() && integral(node).isEmpty();
    }

    private static Long optionalId(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return integral(node).orElse(null);
    }

    /** Strings as they are; numbers (purchase_id wanders between types) as their text; null as null. */
    private static String text(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static BigDecimal amount(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.textValue().strip());
            } catch (NumberFormatException e) {
                throw new FieldException(field + " is not a number");
            }
        }
        throw new FieldException(field + " is not a number");
    }

    /**
     * Timestamps are informational: one we cannot read, or one outside what the ledger can store, is dropped,
     * not a reason to reject the IPN. {@link StreamingIpnReader} reads them the same way.
     */
    private static Instant instant(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        return node == null || !node.isTextual() ? null : IsoInstants.parseStorable(node.textValue());
    }

    private static final class FieldException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FieldException(String message) {
            super(message, null, false, false);
        }
    }
}
