package io.ipnpipeline.registry.publish;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted channel.mappings topic from the beginning to its end (committed records only) into a
 * {@link PublishedState}: what a reader of the topic currently sees. Without a consumer group, so nothing is
 * committed and every new leader reads it whole.
 */
public final class TopicSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSnapshot.class);

    private TopicSnapshot() {
    }

    public static PublishedState read(String bootstrapServers, String topic, String clientId, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Deserializer<ChannelMapping> values = Topics.CHANNEL_MAPPINGS.valueSerde().deserializer();
        PublishedState state = PublishedState.empty();
        long deadline = System.nanoTime() + timeout.toNanos();
        int records = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(state, record, values);
                    records++;
                }
            }
        }
        LOG.info("read {} records of {}: {} channels currently published", records, topic, state.size());
        return state;
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static void apply(PublishedState state, ConsumerRecord<String, byte[]> record,
            Deserializer<ChannelMapping> values) {
        if (record.key() == null) {
            LOG.warn("{}-{}@{} has no key; ignored", record.topic(), record.partition(), record.offset());
            return;
        }
        if (record.value() == null) {
            state.recordRead(record.key(), Optional.empty(), true);
            return;
        }
        try {
            state.recordRead(record.key(), Optional.of(values.deserialize(record.topic(), record.value())), false);
        } catch (SerializationException e) {
            // unreadable: the next resync overwrites it with the row, or tombstones it if the row is gone
            LOG.warn("{}-{}@{} key {} is not a readable ChannelMapping: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
            state.recordRead(record.key(), Optional.empty(), false);
        }
    }
}
