package io.ipnpipeline.ops.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.topic.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record an operator tool puts on {@code ipn.raw} as if its IPN had arrived: keyed by payment_id, with the
 * provenance headers given (reconciliation's, which the processor trusts without a signature), the time it was
 * sent as the receipt time, and the tool's request id for the logs. Reconciliation and {@code payment retry} both
 * write their records here, so the processor sees one shape from both.
 */
public final class Injection {

    private Injection() {
    }

    public static ProducerRecord<String, byte[]> record(String topic, long paymentId, byte[] body,
            Map<String, String> provenance, String requestId, Instant sentAt) {
        RecordHeaders headers = new RecordHeaders();
        provenance.forEach((name, value) -> headers.add(name, utf8(value)));
        headers.add(HeaderNames.IPN_RECEIVED_AT, utf8(IsoInstants.format(sentAt)));
        headers.add(HeaderNames.IPN_REQUEST_ID, utf8(requestId));
        return new ProducerRecord<>(topic, null, Long.toString(paymentId), body, headers);
    }

    /** A payment object of NOWPayments' API as a record body: its fields and exact decimals unchanged. */
    public static byte[] body(ObjectNode payment) {
        try {
            return NowPaymentsClient.MAPPER.writeValueAsBytes(payment);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed JSON tree back", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
