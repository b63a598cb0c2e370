package io.ipnpipeline.bench.kafka;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.support.kafka.TopicCreator;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The harness's Kafka chores: topics, offsets, consumer-group progress. */
public final class KafkaOps implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;

    public KafkaOps(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public String bootstrap() {
        return bootstrap;
    }

    public void createTopics(TopicNames names, Collection<TopicSpec<?, ?>> specs) {
        TopicCreator.ensure(admin, names, specs, (short) 1);
    }

    public List<TopicPartition> partitions(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Log end offsets (transaction markers included). */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        Map<TopicPartition, OffsetSpec> request = partitions(topic).stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return get(admin.listOffsets(request).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    public long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The group's committed offsets on {@code topic} (0 for a partition it has not committed). */
    public Map<TopicPartition, Long> committed(String group, String topic) {
        return committed(group, partitions(topic));
    }

    /** The group's committed offsets on these partitions (0 for one it has not committed). */
    public Map<TopicPartition, Long> committed(String group, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> all =
                get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = all.get(tp);
            result.put(tp, offset == null ? 0L : offset.offset());
        }
        return result;
    }

    /**
     * Per partition, one past the offset of the last committed data record. A transactional writer's topic ends
     * with a commit marker, which a consumer never commits past, so the log end offset would never be reached.
     */
    public Map<TopicPartition, Long> dataEnd(String topic) {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Map<TopicPartition, Long> result = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
                result.put(partition.getKey(), lastRecordEnd(consumer, partition.getKey(), partition.getValue()));
            }
        }
        return result;
    }

    private static long lastRecordEnd(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long end) {
        if (end == 0) {
            return 0;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, Math.max(0, end - 200));
        long last = -1;
        long deadline = System.currentTimeMillis() + 10_000;
        while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                last = Math.max(last, record.offset());
            }
        }
        return last + 1;
    }

    /** Whether the group has committed at least {@code target} on every partition. */
    public static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> target) {
        return target.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    public KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A producer for loading data before a measurement (not itself measured): large batches, lz4. */
    public KafkaProducer<String, byte[]> loader() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    public static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
