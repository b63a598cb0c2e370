package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.ops.config.OpsConfig;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replay moves the processor's group offsets on ipn.raw through the Admin API, and refuses while it runs. */
class ReplayIT {

    private TopicNames topics;
    private String group;
    private Map<String, String> env;
    private TestTopic<String, byte[]> ipnRaw;
    private Instant middle;

    @BeforeEach
    void setUp() throws Exception {
        topics = TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-replay");
        ipnRaw = TestTopic.of(topics, Topics.IPN_RAW);
        group = TestNames.unique("ops-replay-processor");
        env = Cli.env(topics, null);
        env.put(OpsConfig.APPLICATION_ID, group);
        Instant early = Instant.now().minusSeconds(3_600);
        middle = early.plusSeconds(1_800);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        // every record in partition 0, half before and half after the middle
        for (int i = 0; i < 10; i++) {
            long timestamp = early.plusSeconds(i * 360L).toEpochMilli();
            records.add(new ProducerRecord<>(ipnRaw.name(), 0, timestamp, Integer.toString(i), new byte[] {1}));
        }
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), ipnRaw, records);
        commitTheEnd();
    }

    @Test
    void earliestSetsEveryPartitionToItsStart() {
        Cli.Result result = Cli.run(env, "replay", "--from", "earliest");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(committed()).containsEntry(new TopicPartition(ipnRaw.name(), 0), 0L)
                .containsEntry(new TopicPartition(ipnRaw.name(), 5), 0L);
        assertThat(result.out()).contains("partition 0: 11 -> 0");
    }

    @Test
    void aTimeSetsTheFirstOffsetAtOrAfterItAndTheEndWhereThereIsNone() {
        Cli.Result result = Cli.run(env, "replay", "--from", middle.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        // records at 0, 6, 12, ... 54 minutes: the middle (30 min) is record 5
        assertThat(committed()).containsEntry(new TopicPartition(ipnRaw.name(), 0), 5L)
                .containsEntry(new TopicPartition(ipnRaw.name(), 1), 0L);
    }

    /** Found by review: a time past the group's position moved it forward and skipped IPNs never processed. */
    @Test
    void aReplayNeverMovesTheGroupPastWhatTheProcessorHasRead() {
        commit(Map.of(new TopicPartition(ipnRaw.name(), 0), 5L));

        Cli.Result ahead = Cli.run(env, "replay", "--from", middle.plusSeconds(700).toString());
        Cli.Result future = Cli.run(env, "replay", "--from", "2099-01-01T00:00:00Z");

        assertThat(ahead.exitCode()).as(ahead.toString()).isZero();
        assertThat(future.exitCode()).as(future.toString()).isZero();
        assertThat(future.out()).contains("partition 0: 5 -> 5 (kept: the processor has not read that far yet");
        assertThat(committed()).containsEntry(new TopicPartition(ipnRaw.name(), 0), 5L);
    }

    @Test
    void aDryRunChangesNothing() {
        Cli.Result result = Cli.run(env, "replay", "--from", "earliest", "--dry-run");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("dry run");
        assertThat(committed()).containsEntry(new TopicPartition(ipnRaw.name(), 0), 11L);
    }

    @Test
    void refusesWhileTheProcessorsGroupHasMembers() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread member = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = groupConsumer()) {
                consumer.subscribe(List.of(ipnRaw.name()));
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(100));
                }
            }
        });
        member.start();
        try (Admin admin = TestKafka.admin(TestInfra.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get().members().isEmpty());
        }
        Cli.Result result = Cli.run(env, "replay", "--from", "earliest");
        running.set(false);
        member.join(30_000);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("refusing to replay").contains("stream processor is running");
        assertThat(committed()).containsEntry(new TopicPartition(ipnRaw.name(), 0), 11L);
    }

    @Test
    void wipeStateDeletesOnlyTheApplicationsStateDirectory() throws Exception {
        Path stateDir = Files.createDirectories(Path.of("target", "replay-state", group));
        Path appState = Files.createDirectories(stateDir.resolve(group).resolve("0_0").resolve("rocksdb"));
        Files.writeString(appState.resolve("CURRENT"), "x");
        Path other = Files.createDirectories(stateDir.resolve("another-app"));

        Cli.Result result = Cli.run(env, "replay", "--from", "earliest", "--wipe-state", "--state-dir",
                stateDir.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(stateDir.resolve(group)).doesNotExist();
        assertThat(other).exists();
        assertThat(result.out()).contains("deleted (4 entries)");
    }

    @Test
    void aBadTimeIsAUsageError() {
        Cli.Result result = Cli.run(env, "replay", "--from", "yesterday");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("not an ISO-8601 time");
    }

    /** Commits the end of every partition, as a processor that has read everything would have. */
    private void commitTheEnd() {
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(ipnRaw.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            commit(consumer.endOffsets(partitions));
        }
    }

    private void commit(Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer()) {
            Map<TopicPartition, OffsetAndMetadata> commit = new java.util.HashMap<>();
            offsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
            consumer.commitSync(commit);
        }
    }

    private KafkaConsumer<String, byte[]> groupConsumer() {
        Map<String, Object> config = TestKafka.consumerConfig(TestInfra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<TopicPartition, Long> committed() {
        try (Admin admin = TestKafka.admin(TestInfra.bootstrapServers())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> plain = new java.util.HashMap<>();
            offsets.forEach((partition, offset) -> plain.put(partition, offset.offset()));
            return plain;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
