package io.ipnpipeline.contracts.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/** Test-data builder for IPN bodies as NOWPayments sends them (amounts as JSON numbers, a nested fee). */
final class IpnBody {

    private static final ObjectMapper WRITER = new ObjectMapper();
    private final ObjectNode tree;

    private IpnBody(ObjectNode tree) {
        this.tree = tree;
    }

    static IpnBody finished() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("payment_id", 5077125051L);
        body.putNull("parent_payment_id");
        body.put("invoice_id", 4522625843L);
        body.put("payment_status", "finished");
        body.put("pay_address", "0xd1cDE08A07cD25adEbEd35c3867a59228C09B606");
        body.put("price_amount", new BigDecimal("15.0"));
        body.put("price_currency", "usd");
        body.put("pay_amount", new BigDecimal("0.00041632"));
        body.put("actually_paid", new BigDecimal("0.00041632"));
        body.put("pay_currency", "btc");
        body.put("order_id", "PGP-6271402111|-1003253338212");
        body.put("order_description", "Месячная подписка / monthly \"VIP\"");
        body.put("outcome_amount", new BigDecimal("14.2233"));
        body.put("outcome_currency", "usdttrc20");
        ObjectNode fee = body.putObject("fee");
        fee.put("currency", "btc");
        fee.put("depositFee", 0);
        fee.put("withdrawalFee", 0);
        fee.put("serviceFee", new BigDecimal("0.0000025"));
        return new IpnBody(body);
    }

    IpnBody with(String field, String value) {
        ObjectNode copy = tree.deepCopy();
        copy.put(field, value);
        return new IpnBody(copy);
    }

    IpnBody with(String field, BigDecimal value) {
        ObjectNode copy = tree.deepCopy();
        copy.put(field, value);
        return new IpnBody(copy);
    }

    IpnBody without(String field) {
        ObjectNode copy = tree.deepCopy();
        copy.remove(field);
        return new IpnBody(copy);
    }

    JsonNode tree() {
        return tree.deepCopy();
    }

    byte[] compact() {
        return write(false);
    }

    byte[] pretty() {
        return write(true);
    }

    private byte[] write(boolean pretty) {
        try {
            return pretty ? WRITER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree) : WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
