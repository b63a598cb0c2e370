package io.ipnpipeline.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What Kafka Streams itself does when ipn.raw gained partitions behind a running processor's back (the start-up check
 * cannot see a change made after it ran): the stream thread fails at the rebalance, and the processor must end in
 * ERROR, so {@code main} exits 1, instead of replacing the thread forever while reporting ready (found by review).
 */
class FatalThreadFailureIT {

    @Test
    void aThreadFailingOnInvalidChangelogPartitionsShutsStreamsDownNamingTheCause() throws Exception {
        String bootstrap = TestInfra.bootstrapServers();
        TopicNames topics = TestKafka.createTopics(bootstrap, "processor-fatal");
        ProcessorConfig config = config(bootstrap, topics, TestNames.unique("processor-fatal"));
        try (ProcessorService first = ProcessorService.start(config)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> first.state() == KafkaStreams.State.RUNNING);
        }
        try (Admin admin = TestKafka.admin(bootstrap)) {
            admin.createPartitions(Map.of(topics.name(Topics.IPN_RAW), NewPartitions.increaseTo(12))).all().get();
        }

        try (ProcessorService service = ProcessorService.start(config, false)) {
            CompletableFuture<Boolean> failed = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.awaitFailure();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });

            assertThat(failed.get(90, TimeUnit.SECONDS)).as("main's exit path is reached").isTrue();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.ERROR);
            assertThat(service.fatalCause()).get().asString()
                    .contains("has invalid partitions: expected: 12; actual: 6");
            assertThat(service.metrics().registry().get(StreamThreadFailures.REPLACED).counter().count()).isZero();
        }
    }

    private static ProcessorConfig config(String bootstrap, TopicNames topics, String applicationId)
            throws IOException {
        // RocksDB unpacks its native library into java.io.tmpdir, which failsafe points at a not-yet-made dir
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Map<String, String> env = new HashMap<>(topics.asEnv());
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrap);
        env.put(ProcessorConfig.APPLICATION_ID, applicationId);
        env.put(ProcessorConfig.STATE_DIR,
                Path.of("target", "processor-state", applicationId).toAbsolutePath().toString());
        env.put(ProcessorConfig.OPS_PORT, "0");
        return ProcessorConfig.fromEnv(Env.of(env));
    }
}
