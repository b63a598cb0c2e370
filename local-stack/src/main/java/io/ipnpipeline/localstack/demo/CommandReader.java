package io.ipnpipeline.localstack.demo;

import io.ipnpipeline.contracts.topic.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a command topic from the beginning as a payout or Telegram consumer would: read_committed, so only
 * what the sink's transactions committed is seen. No consumer group: it changes no one's offsets.
 */
public final class CommandReader {

    private final String bootstrapServers;

    public CommandReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Every committed record of {@code topic} whose key passes {@code key}: reads until {@code expected} have
     * arrived (or {@code timeout} passed), then for {@code settle} more, so a duplicate would be seen too.
     */
    public <V> List<ConsumerRecord<String, V>> read(TopicSpec<String, V> spec, String topic, Predicate<String> key,
            int expected, Duration timeout, Duration settle) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, spec.keySerde().deserializer(),
                spec.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settledAt = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settledAt)) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
                    if (key.test(record.key())) {
                        found.add(record);
                    }
                }
                if (found.size() >= expected && settledAt == Long.MAX_VALUE) {
                    settledAt = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return found;
    }
}
