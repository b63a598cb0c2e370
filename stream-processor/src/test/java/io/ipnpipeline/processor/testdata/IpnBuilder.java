package io.ipnpipeline.processor.testdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.serde.Json;

/**
 * The contracts' {@link IpnBodyBuilder} (the incident's finished 2.50 USD payment for {@link MappingBuilder#CHANNEL})
 * with what the topology tests add: statuses as wire words (valid or not), arbitrary JSON for malformed fields,
 * and the record key the gateway would use.
 */
public final class IpnBuilder {

    public static final long USER = 6271402111L;

    private final IpnBodyBuilder body = IpnBodyBuilder.incidentPayment();
    private long paymentId = 4479119533L;

    private IpnBuilder() {
    }

    public static IpnBuilder anIpn() {
        return new IpnBuilder();
    }

    public IpnBuilder paymentId(long id) {
        paymentId = id;
        body.paymentId(id);
        return this;
    }

    /** A wire word, so tests can send words NOWPayments never sends. */
    public IpnBuilder status(String status) {
        body.with("payment_status", status);
        return this;
    }

    public IpnBuilder orderId(String orderId) {
        body.orderId(orderId);
        return this;
    }

    public IpnBuilder forChannel(long openChannelId) {
        body.order(USER, openChannelId);
        return this;
    }

    public IpnBuilder priceAmount(String amount) {
        body.priceAmount(amount);
        return this;
    }

    public IpnBuilder priceCurrency(String currency) {
        body.with("price_currency", currency);
        return this;
    }

    /** Sets a field to any JSON text, for the malformed shapes the poison-record tests need. */
    public IpnBuilder rawField(String field, String jsonValue) {
        try {
            body.with(field, Json.mapper().readTree(jsonValue));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(jsonValue, e);
        }
        return this;
    }

    public IpnBuilder without(String field) {
        body.without(field);
        return this;
    }

    public long paymentId() {
        return paymentId;
    }

    public String key() {
        return Long.toString(paymentId);
    }

    public byte[] bytes() {
        return body.toBytes();
    }
}
