package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.processor.errors.DeadLetterHeaders;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1: raw IPN bytes to an {@link Ipn}, for records whose provenance is trusted ({@link IpnProvenance}: verified
 * by the gateway, or injected by reconciliation). An untrusted or unusable record is marked for the dead-letter topic with the reason
 * and its source position in headers; it is never dropped.
 */
final class ParseStep implements FixedKeyProcessor<String, byte[], ParsedIpn> {

    private static final Logger LOG = LoggerFactory.getLogger(ParseStep.class);

    private final ProcessorMetrics metrics;
    private FixedKeyProcessorContext<String, ParsedIpn> context;

    ParseStep(ProcessorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ParsedIpn> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        Optional<String> untrusted = IpnProvenance.untrustedReason(name -> header(record.headers(), name));
        if (untrusted.isPresent()) {
            deadLetter(record, untrusted.get());
            return;
        }
        IpnParser.Result result = IpnParser.parse(record.value());
        if (result instanceof IpnParser.Rejected rejected) {
            deadLetter(record, rejected.reason());
            return;
        }
        Ipn ipn = ((IpnParser.Parsed) result).ipn();
        if (!keyMatches(record.key(), ipn)) {
            deadLetter(record, "record key does not match payment_id");
            return;
        }
        context.forward(record.withValue(new ParsedIpn.Usable(ipn, receivedAt(record))));
    }

    /**
     * The dedupe store is partitioned by the record key; a record keyed by anything but its payment id would be
     * deduplicated in the wrong place, so it is not processed.
     */
    private static boolean keyMatches(String key, Ipn ipn) {
        return key != null && key.strip().equals(Long.toString(ipn.paymentId()));
    }

    private void deadLetter(FixedKeyRecord<String, byte[]> record, String reason) {
        Optional<RecordMetadata> source = context.recordMetadata();
        Headers headers = DeadLetterHeaders.of(record.headers(), reason,
                source.map(RecordMetadata::topic).orElse(null),
                source.map(RecordMetadata::partition).orElse(-1),
                source.map(RecordMetadata::offset).orElse(-1L),
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        LOG.info("ipn key={} outcome=dlq reason=\"{}\"", record.key(), reason);
        metrics.deadLettered(ProcessorMetrics.DlqStage.PARSE);
        context.forward(record.withValue((ParsedIpn) new ParsedIpn.Unusable(reason, record.value()))
                .withHeaders(headers));
    }

    /** The last value of a header as text, or null when absent; what {@link IpnProvenance}'s rules read. */
    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * The gateway's receipt time; the record timestamp (the gateway's send time) when the header is absent, unreadable
     * or outside what the ledger's timestamptz column stores (PostgreSQL would refuse the payment's whole batch row).
     */
    private static Instant receivedAt(FixedKeyRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(HeaderNames.IPN_RECEIVED_AT);
        if (header != null && header.value() != null) {
            Instant received = IsoInstants.parseStorable(new String(header.value(), StandardCharsets.UTF_8).strip());
            if (received != null) {
                return received;
            }
            LOG.debug("unusable {} header, using the record timestamp", HeaderNames.IPN_RECEIVED_AT);
        }
        return Instant.ofEpochMilli(record.timestamp());
    }
}
