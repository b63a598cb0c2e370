package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology: ipn.raw, parsed, deduplicated by payment id, placed (order id, channel mapping,
 * parking, tier) and written to payments.enriched; unusable records go to ipn.dlq.
 *
 * <p>Channel mappings are a GlobalKTable: every instance holds the whole registry (thousands of small rows), and
 * in exchange the payment stream, keyed by payment id, is joined where it is, never repartitioned by channel.
 * Every processor, store and sink is named, so names survive topology changes and state is never orphaned.
 */
public final class PaymentTopology {

    public static final String DEDUPE_STORE = "payment-status-store";
    public static final String PARKING_STORE = "parked-payments-store";
    public static final String MAPPING_STORE = "channel-mappings-store";

    private static final String USABLE = "usable";
    private static final String UNUSABLE = "unusable";
    private static final String PARSE_ROUTE = "parse-route-";

    private PaymentTopology() {
    }

    public static Topology build(TopicNames topics, Duration dedupeRetention, ProcessorMetrics metrics) {
        return build(topics, dedupeRetention, DedupeStep.PURGE_SLICE, metrics);
    }

    /** {@code purgeSlice}: how many dedupe entries one purge punctuation reads (tests use a handful). */
    static Topology build(TopicNames topics, Duration dedupeRetention, int purgeSlice, ProcessorMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder);
        joinableMappings(builder, topics);
        KStream<String, ParsedIpn.Usable> usable = parse(builder, topics, metrics);
        usable.processValues(() -> new DedupeStep(DEDUPE_STORE, dedupeRetention, metrics, purgeSlice),
                        Named.as("dedupe-by-payment-id"), DEDUPE_STORE)
                .process(() -> new PlacementStep(MAPPING_STORE, PARKING_STORE, metrics),
                        Named.as("place-payment"), PARKING_STORE)
                .to(topics.name(Topics.PAYMENTS_ENRICHED), produced(Topics.PAYMENTS_ENRICHED, "payments-enriched-sink"));
        return builder.build();
    }

    /**
     * Both stores are persistent and changelogged: dedupe state and parked payments survive restarts. Both are
     * cached: a payment's statuses arriving within one commit interval become one RocksDB write and one changelog
     * record instead of one each. Exactly-once is unchanged, because Streams flushes the cache (to RocksDB and
     * the changelog, inside the transaction) before every commit.
     */
    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEDUPE_STORE),
                Serdes.String(), new DedupeEntrySerde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARKING_STORE),
                Serdes.String(), new JsonSerde<>(ParkedPayment.class)).withCachingEnabled());
    }

    /**
     * The mapping table is held in memory, not in RocksDB: every placed payment reads it, and a JNI call plus a
     * copy per read is a visible share of the per-record work. It is small (one row per channel, compacted), so
     * rebuilding it from its topic at start, before any payment is processed, costs a moment and loses nothing.
     */
    private static void joinableMappings(StreamsBuilder builder, TopicNames topics) {
        builder.globalTable(topics.name(Topics.CHANNEL_MAPPINGS),
                Consumed.with(Serdes.String(), ReadableMappings.serde()).withName("channel-mappings-source"),
                Materialized.<String, ChannelMapping>as(Stores.inMemoryKeyValueStore(MAPPING_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(ReadableMappings.serde()));
    }

    /** Step 1: usable IPNs go on; unusable records go, byte for byte, to the dead-letter topic. */
    private static KStream<String, ParsedIpn.Usable> parse(StreamsBuilder builder, TopicNames topics,
            ProcessorMetrics metrics) {
        Map<String, KStream<String, ParsedIpn>> routes = builder
                .stream(topics.name(Topics.IPN_RAW), consumed(Topics.IPN_RAW, "ipn-raw-source"))
                .processValues(() -> new ParseStep(metrics), Named.as("parse-ipn"))
                .split(Named.as(PARSE_ROUTE))
                .branch((key, parsed) -> parsed instanceof ParsedIpn.Unusable, Branched.as(UNUSABLE))
                .defaultBranch(Branched.as(USABLE));
        routes.get(PARSE_ROUTE + UNUSABLE)
                .mapValues(parsed -> ((ParsedIpn.Unusable) parsed).body(), Named.as("unusable-body"))
                .to(topics.name(Topics.IPN_DLQ), produced(Topics.IPN_DLQ, "ipn-dlq-sink"));
        return routes.get(PARSE_ROUTE + USABLE)
                .mapValues(parsed -> (ParsedIpn.Usable) parsed, Named.as("usable-ipn"));
    }

    private static <K, V> Consumed<K, V> consumed(TopicSpec<K, V> spec, String name) {
        return Consumed.with(spec.keySerde(), spec.valueSerde()).withName(name);
    }

    private static <K, V> Produced<K, V> produced(TopicSpec<K, V> spec, String name) {
        return Produced.with(spec.keySerde(), spec.valueSerde()).withName(name);
    }
}
