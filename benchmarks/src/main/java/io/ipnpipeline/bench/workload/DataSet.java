package io.ipnpipeline.bench.workload;

import io.ipnpipeline.bench.kafka.KafkaOps;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor/sink/replay data set, loaded once into its own {@code ipn.raw} (as the gateway would have
 * written it: raw body, gateway headers) with the registry's rows in {@code channel.mappings}.
 */
public final class DataSet {

    private static final Logger LOG = LoggerFactory.getLogger(DataSet.class);
    public static final double DUPLICATES = 0.20;
    public static final double UNMAPPED = 0.01;
    private static final long FIRST_PAYMENT = 5_000_000_000L;

    private final Map<String, String> topicEnv = Map.of(
            Topics.IPN_RAW.envVariable(), "data.ipn.raw",
            Topics.CHANNEL_MAPPINGS.envVariable(), "data.channel.mappings");
    private final long ipns;
    private final long payments;
    private final long duplicates;
    private final long unmappedPayments;

    private DataSet(long ipns, long payments, long duplicates, long unmappedPayments) {
        this.ipns = ipns;
        this.payments = payments;
        this.duplicates = duplicates;
        this.unmappedPayments = unmappedPayments;
    }

    public static DataSet load(KafkaOps kafka, long ipns, int channels) {
        DataSet shape = new DataSet(ipns, 0, 0, 0);
        TopicNames names = TopicNames.fromEnv(shape.topicEnv::get);
        kafka.createTopics(names, List.of(Topics.IPN_RAW, Topics.CHANNEL_MAPPINGS));
        long started = System.nanoTime();
        Set<Long> paymentIds = new HashSet<>();
        Set<Long> unmapped = new HashSet<>();
        AtomicLong duplicates = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = kafka.loader()) {
            publishMappings(producer, names.name(Topics.CHANNEL_MAPPINGS), Ipns.mappings(channels));
            String topic = names.name(Topics.IPN_RAW);
            Ipns.generate(new Ipns.Spec(ipns, DUPLICATES, UNMAPPED, channels, FIRST_PAYMENT, 42), ipn -> {
                paymentIds.add(ipn.paymentId());
                if (!ipn.mapped()) {
                    unmapped.add(ipn.paymentId());
                }
                if (ipn.duplicate()) {
                    duplicates.incrementAndGet();
                }
                producer.send(new ProducerRecord<>(topic, null, Long.toString(ipn.paymentId()), ipn.body(),
                        gatewayHeaders()));
            });
            producer.flush();
        }
        DataSet data = new DataSet(ipns, paymentIds.size(), duplicates.get(), unmapped.size());
        LOG.info("data set loaded in {} s: {}", (System.nanoTime() - started) / 1_000_000_000, data.describe());
        return data;
    }

    /** Publishes the registry rows of {@code channels} channels to {@code topic}. */
    public static void publishMappings(KafkaOps kafka, String topic, int channels) {
        try (KafkaProducer<String, byte[]> producer = kafka.loader()) {
            publishMappings(producer, topic, Ipns.mappings(channels));
        }
    }

    private static void publishMappings(KafkaProducer<String, byte[]> producer, String topic,
            List<ChannelMapping> mappings) {
        Serializer<ChannelMapping> serializer = Topics.CHANNEL_MAPPINGS.valueSerde().serializer();
        for (ChannelMapping mapping : mappings) {
            producer.send(new ProducerRecord<>(topic, Long.toString(mapping.openChannelId()),
                    serializer.serialize(topic, mapping)));
        }
    }

    static RecordHeaders gatewayHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.IPN_RECEIVED_AT, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY.getBytes(StandardCharsets.UTF_8));
        headers.add(HeaderNames.IPN_SIGNATURE_FORM, "deep-sorted".getBytes(StandardCharsets.UTF_8));
        headers.add(HeaderNames.IPN_SECRET, "current".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    public Map<String, String> topicEnv() {
        return topicEnv;
    }

    public String ipnRawTopic() {
        return topicEnv.get(Topics.IPN_RAW.envVariable());
    }

    /** Where processor run {@code run} writes; run 1's output feeds the sink stage and the replay. */
    public String enrichedTopic(int run) {
        return "proc.r" + run + ".payments.enriched";
    }

    public long ipns() {
        return ipns;
    }

    public long payments() {
        return payments;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%,d IPNs (%,d payments x 5 statuses, %,d duplicates, unmapped payments:"
                + " %,d)", ipns, payments, duplicates, unmappedPayments);
    }
}
