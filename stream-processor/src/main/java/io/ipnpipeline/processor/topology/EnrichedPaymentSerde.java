package io.ipnpipeline.processor.topology;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.topic.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The {@code payments.enriched} value serde with a hand-written writer: the same bytes as
 * {@link io.ipnpipeline.contracts.serde.Json}'s (same names, same order, decimals as strings, instants as ISO-8601,
 * nulls written), without data-binding's per-field reflection, on every emitted record. Reading is the contracts'
 * serde, the one every consumer uses. {@code EnrichedPaymentSerdeTest} holds the writer to the mapper's bytes.
 */
final class EnrichedPaymentSerde implements Serde<EnrichedPayment> {

    /** Enough for a typical record (the raw IPN is most of it) without growing the buffer. */
    private static final int INITIAL_CAPACITY = 2048;

    @Override
    public Serializer<EnrichedPayment> serializer() {
        return (topic, payment) -> payment == null ? null : write(payment);
    }

    @Override
    public Deserializer<EnrichedPayment> deserializer() {
        return Topics.PAYMENTS_ENRICHED.valueSerde().deserializer();
    }

    static byte[] write(EnrichedPayment p) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(INITIAL_CAPACITY);
        try (JsonGenerator out = Json.mapper().createGenerator(bytes, JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeNumberField("payment_id", p.paymentId());
            out.writeStringField("status", p.status().name());
            out.writeStringField("status_word", p.statusWord().name());
            out.writeStringField("review_reason", p.reviewReason());
            out.writeStringField("order_id", p.orderId());
            number(out, "user_id", p.userId());
            number(out, "open_channel_id", p.openChannelId());
            number(out, "private_channel_id", p.privateChannelId());
            number(out, "tier_index", p.tierIndex());
            number(out, "subscription_days", p.subscriptionDays());
            decimal(out, "subscription_price", p.subscriptionPrice());
            out.writeStringField("client_wallet_address", p.clientWalletAddress());
            out.writeStringField("client_payout_currency", p.clientPayoutCurrency());
            out.writeStringField("client_payout_network", p.clientPayoutNetwork());
            out.writeStringField("payout_strategy", p.payoutStrategy() == null ? null : p.payoutStrategy().word());
            decimal(out, "payout_threshold_usd", p.payoutThresholdUsd());
            number(out, "parent_payment_id", p.parentPaymentId());
            number(out, "invoice_id", p.invoiceId());
            out.writeStringField("pay_address", p.payAddress());
            decimal(out, "price_amount", p.priceAmount());
            out.writeStringField("price_currency", p.priceCurrency());
            decimal(out, "pay_amount", p.payAmount());
            decimal(out, "actually_paid", p.actuallyPaid());
            out.writeStringField("pay_currency", p.payCurrency());
            decimal(out, "outcome_amount", p.outcomeAmount());
            out.writeStringField("outcome_currency", p.outcomeCurrency());
            instant(out, "nowpayments_created_at", p.nowpaymentsCreatedAt());
            instant(out, "nowpayments_updated_at", p.nowpaymentsUpdatedAt());
            instant(out, "received_at", p.receivedAt());
            out.writeStringField("raw_ipn", p.rawIpn());
            out.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot write EnrichedPayment " + p.paymentId(), e);
        }
        return bytes.toByteArray();
    }

    private static void number(JsonGenerator out, String name, Number value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
        } else if (value instanceof Integer small) {
            out.writeNumber(small.intValue());
        } else {
            out.writeNumber(value.longValue());
        }
    }

    /** As the contracts' mapper writes a BigDecimal: its {@code toString()}, as a JSON string. */
    private static void decimal(JsonGenerator out, String name, BigDecimal value) throws IOException {
        out.writeStringField(name, value == null ? null : value.toString());
    }

    /** ISO-8601 as the mapper's JavaTimeModule writes it ({@code Instant.toString()} is ISO_INSTANT). */
    private static void instant(JsonGenerator out, String name, Instant value) throws IOException {
        out.writeStringField(name, value == null ? null : value.toString());
    }
}
