package io.ipnpipeline.processor.it;

import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.app.ProcessorMain;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** One processor deployment for an IT: its own topics, application id and state dir on the shared broker. */
final class ProcessorFixture {

    final String bootstrap;
    final TopicNames topics;
    final String applicationId;
    final Path stateDir;
    final Map<String, String> env;
    final TestTopic<String, byte[]> raw;

    ProcessorFixture(String bootstrap, String testName) {
        this.bootstrap = bootstrap;
        this.topics = TestKafka.createTopics(bootstrap, testName);
        this.applicationId = TestNames.unique(testName);
        this.stateDir = Path.of("target", "processor-state", applicationId).toAbsolutePath();
        Map<String, String> values = new HashMap<>(topics.asEnv());
        values.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrap);
        values.put(ProcessorConfig.APPLICATION_ID, applicationId);
        values.put(ProcessorConfig.STATE_DIR, stateDir.toString());
        values.put(ProcessorConfig.COMMIT_INTERVAL_MS, "20");
        values.put(ProcessorConfig.OPS_PORT, "0");
        this.env = Map.copyOf(values);
        this.raw = TestTopic.of(topics, Topics.IPN_RAW);
        ensureTmpDir();
    }

    /** RocksDB unpacks its native library into java.io.tmpdir, which failsafe points at a not-yet-made dir. */
    private static void ensureTmpDir() {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ProcessorConfig config() {
        return ProcessorConfig.fromEnv(Env.of(env));
    }

    TestTopic<String, io.ipnpipeline.contracts.payment.EnrichedPayment> enriched() {
        return TestTopic.of(topics, Topics.PAYMENTS_ENRICHED);
    }

    /** IPNs as the gateway writes them: key payment_id, received-at header, one committed transaction. */
    void sendIpns(List<IpnBuilder> ipns) {
        String receivedAt = Instant.now().toString();
        List<ProducerRecord<String, byte[]>> records = ipns.stream()
                .map(ipn -> raw.record(ipn.key(), ipn.bytes(), withProvenance(receivedAt)))
                .toList();
        TestKafka.produceInTransaction(bootstrap, raw, records);
    }

    void sendMapping(io.ipnpipeline.processor.testdata.MappingBuilder mapping) {
        var topic = TestTopic.of(topics, Topics.CHANNEL_MAPPINGS);
        TestKafka.produceInTransaction(bootstrap, topic, List.of(topic.record(mapping.key(), mapping.build())));
    }

    /** The app has committed (with its output, in the same transactions) every ipn.raw record there is. */
    void awaitCaughtUp(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(this::caughtUp);
    }

    private boolean caughtUp() throws Exception {
        try (Admin admin = TestKafka.admin(bootstrap)) {
            String rawTopic = topics.name(Topics.IPN_RAW);
            Set<TopicPartition> partitions = admin.describeTopics(List.of(rawTopic)).allTopicNames().get()
                    .get(rawTopic).partitions().stream()
                    .map(info -> new TopicPartition(rawTopic, info.partition())).collect(Collectors.toSet());
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                    || committed.containsKey(end.getKey())
                    && committed.get(end.getKey()).offset() >= end.getValue());
        }
    }

    /** The processor in a JVM of its own, started by its real main, so a test can kill it with SIGKILL. */
    Process startChildProcess(Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ProcessorMain.class.getName());
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            Files.createDirectories(log.getParent());
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deleteState() {
        if (!Files.exists(stateDir)) {
            return;
        }
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The headers the gateway writes after verifying an IPN. */
    private static Map<String, String> withProvenance(String receivedAt) {
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "current"));
        headers.put(HeaderNames.IPN_RECEIVED_AT, receivedAt);
        return headers;
    }
}
