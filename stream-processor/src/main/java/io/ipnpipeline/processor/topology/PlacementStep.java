package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.order.OrderIdParser;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 3 to 6: parse the order id, look the channel up in the mapping table, park the payment if the channel is
 * not mapped yet, resolve the tier, and emit to {@code payments.enriched}.
 *
 * <p>Parked payments are released in arrival order by a wall-clock punctuator (mapping updates of a GlobalKTable
 * trigger no processing, so something must look) and, before it, by the next record for the same channel.
 *
 * <p>The channels that have parked payments are also kept in memory, rebuilt from the store whenever the task
 * is (re)initialised, so the common case (a mapped channel with nothing parked) costs no store scan, and the
 * punctuator looks up only those channels instead of reading every parked payment twice a second.
 */
final class PlacementStep implements Processor<String, ParsedIpn.Usable, String, EnrichedPayment> {

    /** How often parked payments are checked against the mapping table: releases happen within about this. */
    static final Duration RELEASE_INTERVAL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(PlacementStep.class);
    private static final StringSerializer KEY_SERIALIZER = new StringSerializer();

    private final String mappingStoreName;
    private final String parkingStoreName;
    private final ProcessorMetrics metrics;
    private ProcessorContext<String, EnrichedPayment> context;
    private ChannelMappings mappings;
    private KeyValueStore<String, ParkedPayment> parking;
    private final Set<Long> parkedChannels = new HashSet<>();

    PlacementStep(String mappingStoreName, String parkingStoreName, ProcessorMetrics metrics) {
        this.mappingStoreName = mappingStoreName;
        this.parkingStoreName = parkingStoreName;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, EnrichedPayment> context) {
        this.context = context;
        this.mappings = new ChannelMappings(context.getStateStore(mappingStoreName));
        this.parking = context.getStateStore(parkingStoreName);
        indexParkedChannels();
        context.schedule(RELEASE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> releaseMapped());
    }

    @Override
    public void process(Record<String, ParsedIpn.Usable> record) {
        Ipn ipn = record.value().ipn();
        Instant receivedAt = record.value().receivedAt();
        OrderIdParser.Result orderId = OrderIdParser.parse(ipn.orderId());
        if (orderId instanceof OrderIdParser.Unparseable unparseable) {
            emit(record, Enrichment.needsReview(ipn, receivedAt, unparseable.reason()));
            return;
        }
        OrderId parsed = ((OrderIdParser.Parsed) orderId).orderId();
        Optional<ChannelMapping> mapping = mappings.find(parsed.openChannelId());
        if (mapping.isEmpty()) {
            park(record, parsed);
            return;
        }
        if (parkedChannels.contains(parsed.openChannelId())) {
            releaseChannel(parsed.openChannelId(), mapping.get());
        }
        emit(record, Enrichment.place(ipn, receivedAt, parsed, mapping.get(), repeatedDepositAccepted(record)));
    }

    /** Only an operator's re-send (reconciliation provenance, naming this payment) may place a repeated deposit. */
    private static boolean repeatedDepositAccepted(Record<String, ParsedIpn.Usable> record) {
        Ipn ipn = record.value().ipn();
        boolean accepted = ipn.parentPaymentId() != null && IpnProvenance.repeatedDepositAccepted(
                name -> ParseStep.header(record.headers(), name), ipn.paymentId());
        if (accepted) {
            LOG.info("payment_id={} status={} outcome=repeated_deposit_accepted parent_payment_id={}",
                    ipn.paymentId(), ipn.status().wire(), ipn.parentPaymentId());
        }
        return accepted;
    }

    private void park(Record<String, ParsedIpn.Usable> record, OrderId orderId) {
        Ipn ipn = record.value().ipn();
        long offset = context.recordMetadata().orElseThrow().offset();
        parking.put(ParkedPayment.key(orderId.openChannelId(), offset),
                new ParkedPayment(ipn, orderId, record.value().receivedAt(), repeatedDepositAccepted(record)));
        parkedChannels.add(orderId.openChannelId());
        metrics.parked();
        emit(record, Enrichment.awaitingMapping(ipn, record.value().receivedAt(), orderId));
    }

    /** Releases every parked payment of one channel, oldest first, because its mapping now exists. */
    private void releaseChannel(long openChannelId, ChannelMapping mapping) {
        List<KeyValue<String, ParkedPayment>> parked = new ArrayList<>();
        try (KeyValueIterator<String, ParkedPayment> entries =
                     parking.prefixScan(ParkedPayment.channelPrefix(openChannelId), KEY_SERIALIZER)) {
            entries.forEachRemaining(parked::add);
        }
        parked.forEach(entry -> release(entry, mapping));
        parkedChannels.remove(openChannelId);
    }

    /** The punctuator: releases the parked payments of every channel that has a mapping now. */
    private void releaseMapped() {
        for (Long channel : List.copyOf(parkedChannels)) {
            mappings.find(channel).ifPresent(mapping -> releaseChannel(channel, mapping));
        }
    }

    /** The store is the truth (restored from its changelog before init); the set only says where to look. */
    private void indexParkedChannels() {
        parkedChannels.clear();
        try (KeyValueIterator<String, ParkedPayment> entries = parking.all()) {
            while (entries.hasNext()) {
                parkedChannels.add(ParkedPayment.channelOf(entries.next().key));
            }
        }
    }

    private void release(KeyValue<String, ParkedPayment> entry, ChannelMapping mapping) {
        ParkedPayment parked = entry.value;
        parking.delete(entry.key);
        metrics.released();
        // now, not the original time: a payment parked for days must not be near the output topic's retention
        emit(new Record<>(entry.key, parked, context.currentSystemTimeMs()),
                Enrichment.place(parked.ipn(), parked.receivedAt(), parked.orderId(), mapping,
                        parked.repeatedDepositAccepted()));
    }

    /** Emits with the input's timestamp and headers (request id and friends travel on for tracing). */
    private void emit(Record<String, ?> input, EnrichedPayment payment) {
        if (payment.statusWord() == StatusWord.NEEDS_REVIEW) {
            metrics.needsReview();
        }
        metrics.emitted(payment.statusWord().word());
        LOG.info("payment_id={} status={} outcome={}{}", payment.paymentId(), payment.status().wire(),
                payment.statusWord().word(),
                payment.reviewReason() == null ? "" : " reason=\"" + payment.reviewReason() + "\"");
        context.forward(new Record<>(Long.toString(payment.paymentId()), payment, input.timestamp(),
                input.headers()));
    }
}
