package io.ipnpipeline.registry.it;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A reader of channel.mappings as the processor is one: read_committed, from the beginning, every partition.
 * Polled only from the test thread (inside Awaitility), so records arrive in the order a reader sees them.
 */
public final class TopicWatcher implements AutoCloseable {

    private final KafkaConsumer<String, ChannelMapping> consumer;
    private final List<ConsumerRecord<String, ChannelMapping>> records = new ArrayList<>();

    TopicWatcher(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(TestKafka.consumerConfig(bootstrapServers),
                Topics.CHANNEL_MAPPINGS.keySerde().deserializer(),
                Topics.CHANNEL_MAPPINGS.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public TopicWatcher poll() {
        consumer.poll(Duration.ofMillis(50)).forEach(records::add);
        return this;
    }

    /** Every record of {@code key} so far, in offset order ({@code null} = tombstone). */
    public List<ChannelMapping> history(String key) {
        List<ChannelMapping> values = new ArrayList<>();
        for (ConsumerRecord<String, ChannelMapping> record : records) {
            if (key.equals(record.key())) {
                values.add(record.value());
            }
        }
        return values;
    }

    public List<ChannelMapping> history(long openChannelId) {
        return history(Long.toString(openChannelId));
    }

    /** What a reader's table holds now: the last value per key, tombstoned keys removed. */
    public Map<String, ChannelMapping> view() {
        Map<String, ChannelMapping> view = new HashMap<>();
        for (ConsumerRecord<String, ChannelMapping> record : records) {
            if (record.value() == null) {
                view.remove(record.key());
            } else {
                view.put(record.key(), record.value());
            }
        }
        return view;
    }

    public int size() {
        return records.size();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
