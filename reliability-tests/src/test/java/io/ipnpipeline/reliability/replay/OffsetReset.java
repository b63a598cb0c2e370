package io.ipnpipeline.reliability.replay;

import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What an operator does to replay the processor (it must be stopped): wipe its state (local stores and the
 * changelog/internal topics, as Kafka's streams reset tool does) and move its input offsets back.
 */
final class OffsetReset {

    private final String bootstrap;
    private final TopicNames topics;
    private final String applicationId;

    OffsetReset(String bootstrap, TopicNames topics, String applicationId) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.applicationId = applicationId;
    }

    void wipeState(Path stateDir) throws Exception {
        deleteRecursively(stateDir);
        try (Admin admin = TestKafka.admin(bootstrap)) {
            Set<String> internal = internalTopics(admin);
            admin.deleteTopics(internal).all().get();
            await().atMost(Duration.ofSeconds(60)).until(() -> internalTopics(admin).isEmpty());
        }
    }

    private Set<String> internalTopics(Admin admin) throws ExecutionException, InterruptedException {
        return admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-"))
                .collect(Collectors.toSet());
    }

    /** ipn.raw back to offset 0 on every partition. */
    void toEarliest() throws Exception {
        resetTo(OffsetSpec.earliest());
    }

    /** ipn.raw back to the first record at or after {@code timestamp} (the end where there is none). */
    void toTimestamp(Instant timestamp) throws Exception {
        resetTo(OffsetSpec.forTimestamp(timestamp.toEpochMilli()));
    }

    private void resetTo(OffsetSpec spec) throws Exception {
        try (Admin admin = TestKafka.admin(bootstrap)) {
            List<TopicPartition> partitions = partitions(admin, topics.name(Topics.IPN_RAW));
            Map<TopicPartition, OffsetSpec> wanted = partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> spec));
            Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(wanted).all().get().forEach((partition, info) -> offsets.put(partition,
                    new OffsetAndMetadata(info.offset() < 0 ? ends.get(partition) : info.offset())));
            admin.alterConsumerGroupOffsets(applicationId, offsets).all().get();
        }
    }

    /** The processor has committed every ipn.raw record there is. */
    boolean processorCaughtUp() throws Exception {
        return committedAtLeast(applicationId, endOffsets(topics.name(Topics.IPN_RAW)));
    }

    /** The sink's group has committed past the last committed record of payments.enriched. */
    boolean sinkCaughtUp(String sinkGroup) throws Exception {
        Map<TopicPartition, Long> afterLast = new HashMap<>();
        for (ConsumerRecord<String, ?> record : TestKafka.readAll(bootstrap,
                io.ipnpipeline.testsupport.TestTopic.of(topics, Topics.PAYMENTS_ENRICHED))) {
            afterLast.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        return committedAtLeast(sinkGroup, afterLast);
    }

    private boolean committedAtLeast(String group, Map<TopicPartition, Long> targets) throws Exception {
        try (Admin admin = TestKafka.admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return targets.entrySet().stream().allMatch(target -> target.getValue() == 0
                    || committed.get(target.getKey()) != null
                    && committed.get(target.getKey()).offset() >= target.getValue());
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = TestKafka.admin(bootstrap)) {
            List<TopicPartition> partitions = partitions(admin, topic);
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
