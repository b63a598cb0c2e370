package io.ipnpipeline.processor.testdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.serde.Json;
import java.nio.charset.StandardCharsets;

/**
 * Builds NOWPayments IPN bodies the way NOWPayments shapes them (numbers as JSON numbers, ids as numbers), with
 * sensible defaults for a finished payment of the 2.50 USD tier of {@link MappingBuilder#CHANNEL}.
 */
public final class IpnBuilder {

    public static final long USER = 6271402111L;

    private final ObjectNode body = JsonNodeFactory.instance.objectNode();

    private IpnBuilder() {
        body.put("payment_id", 5077125051L);
        body.putNull("parent_payment_id");
        body.put("invoice_id", 4522625843L);
        body.put("payment_status", "finished");
        body.put("pay_address", "0xd1cDE08A07cD25adEbEd35c3867a59228C09B606");
        body.put("price_amount", new java.math.BigDecimal("2.50"));
        body.put("price_currency", "usd");
        body.put("pay_amount", new java.math.BigDecimal("0.00172"));
        body.put("actually_paid", new java.math.BigDecimal("0.00172"));
        body.put("pay_currency", "eth");
        body.put("order_id", "PGP-" + USER + "|" + MappingBuilder.CHANNEL);
        body.put("order_description", "subscription");
        body.put("purchase_id", "5837122679");
        body.put("outcome_amount", new java.math.BigDecimal("0.0017"));
        body.put("outcome_currency", "eth");
    }

    public static IpnBuilder anIpn() {
        return new IpnBuilder();
    }

    public IpnBuilder paymentId(long id) {
        body.put("payment_id", id);
        return this;
    }

    public IpnBuilder status(String status) {
        body.put("payment_status", status);
        return this;
    }

    public IpnBuilder orderId(String orderId) {
        if (orderId == null) {
            body.putNull("order_id");
        } else {
            body.put("order_id", orderId);
        }
        return this;
    }

    public IpnBuilder forChannel(long openChannelId) {
        return orderId("PGP-" + USER + "|" + openChannelId);
    }

    public IpnBuilder priceAmount(String amount) {
        body.put("price_amount", new java.math.BigDecimal(amount));
        return this;
    }

    public IpnBuilder priceCurrency(String currency) {
        body.put("price_currency", currency);
        return this;
    }

    /** Sets any field to any JSON text, for the malformed shapes the poison-record tests need. */
    public IpnBuilder rawField(String field, String jsonValue) {
        try {
            body.set(field, Json.mapper().readTree(jsonValue));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(jsonValue, e);
        }
        return this;
    }

    public IpnBuilder without(String field) {
        body.remove(field);
        return this;
    }

    public long paymentId() {
        return body.get("payment_id").asLong();
    }

    public String key() {
        return body.get("payment_id").asText();
    }

    public byte[] bytes() {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
