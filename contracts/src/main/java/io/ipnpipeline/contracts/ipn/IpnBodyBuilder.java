package io.ipnpipeline.contracts.ipn;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds IPN bodies shaped like NOWPayments' (the incident's payment by default), for the {@code send-ipn}
 * tool, the local stack's demo and tests. Amounts are written as JSON numbers, as NOWPayments sends them.
 */
public final class IpnBodyBuilder {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private IpnBodyBuilder() {
        fields.put("payment_id", 4479119533L);
        fields.put("invoice_id", 4910826526L);
        fields.put("payment_status", PaymentStatus.FINISHED.wire());
        fields.put("pay_address", "0xD031Cb94c419A5D7AA4BA5FDBc9Cc82138651083");
        fields.put("price_amount", new BigDecimal("2.5"));
        fields.put("price_currency", "usd");
        fields.put("pay_amount", new BigDecimal("0.00076967"));
        fields.put("actually_paid", new BigDecimal("0.00076967"));
        fields.put("pay_currency", "eth");
        fields.put("order_id", "PGP-6271402111|-1003253338212");
        fields.put("order_description", null);
        fields.put("outcome_amount", new BigDecimal("0.00061819"));
        fields.put("outcome_currency", "eth");
        fields.put("created_at", "2025-11-07T11:48:27.355Z");
        fields.put("updated_at", "2025-11-07T11:51:20.364Z");
    }

    /** The incident's finished payment 4479119533 of user 6271402111 for channel -1003253338212. */
    public static IpnBodyBuilder incidentPayment() {
        return new IpnBodyBuilder();
    }

    public IpnBodyBuilder paymentId(long paymentId) {
        return with("payment_id", paymentId);
    }

    public IpnBodyBuilder status(PaymentStatus status) {
        return with("payment_status", status.wire());
    }

    public IpnBodyBuilder orderId(String orderId) {
        return with("order_id", orderId);
    }

    public IpnBodyBuilder order(long userId, long openChannelId) {
        return with("order_id", "PGP-" + userId + "|" + openChannelId);
    }

    public IpnBodyBuilder priceAmount(String usd) {
        return with("price_amount", new BigDecimal(usd));
    }

    public IpnBodyBuilder outcomeAmount(String amount) {
        return with("outcome_amount", new BigDecimal(amount));
    }

    /** Any field, including ones this pipeline does not model; {@code null} writes a JSON null. */
    public IpnBodyBuilder with(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    public IpnBodyBuilder without(String field) {
        fields.remove(field);
        return this;
    }

    public ObjectNode toJsonNode() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        // decimals as JSON numbers, exactly (NOWPayments sends numbers; Json writes BigDecimal as strings, and
        // the default node factory would strip trailing zeros, writing 100.0 as 1E+2)
        fields.forEach((name, value) -> node.set(name, value instanceof BigDecimal decimal
                ? DecimalNode.valueOf(decimal) : Json.mapper().valueToTree(value)));
        return node;
    }

    public String toJson() {
        try {
            // numbers as BigDecimal.toString(), as before Json wrote decimals plain: NOWPayments sends exponents
            // (1e-7), and poison-record tests need numbers like 1e99999999 that no plain form can spell
            return Json.mapper().writer().without(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .writeValueAsString(toJsonNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an IPN body", e);
        }
    }

    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
