package io.ipnpipeline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.processor.errors.DeadLetterHandlers;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Env.of(Map.of()));

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.applicationId()).isEqualTo("ipn-stream-processor");
        assertThat(config.stateDir().getFileName()).hasToString("ipn-stream-processor");
        assertThat(config.numStreamThreads()).isEqualTo(1);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.dedupeRetention()).isEqualTo(Duration.ofDays(35));
        assertThat(config.opsPort()).isEqualTo(8091);
        assertThat(config.replicationFactor()).isEqualTo((short) 1);
        assertThat(config.topics()).isEqualTo(TopicNames.defaults());
        assertThat(config.maxRebalance()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyVariableIsRead() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Env.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "PROCESSOR_APPLICATION_ID", "proc-blue",
                "PROCESSOR_STATE_DIR", "/var/lib/proc",
                "PROCESSOR_NUM_STREAM_THREADS", "4",
                "PROCESSOR_COMMIT_INTERVAL_MS", "250",
                "PROCESSOR_DEDUPE_RETENTION_DAYS", "60",
                "PROCESSOR_OPS_PORT", "9100",
                "KAFKA_REPLICATION_FACTOR", "3",
                "IPN_RAW_TOPIC", "prod.ipn.raw",
                "PROCESSOR_MAX_REBALANCE_MS", "60000")));

        assertThat(config).isEqualTo(new ProcessorConfig("k1:9092,k2:9092", "proc-blue", Path.of("/var/lib/proc"),
                4, Duration.ofMillis(250), Duration.ofDays(60), 9100, (short) 3,
                TopicNames.fromEnv(Map.of("IPN_RAW_TOPIC", "prod.ipn.raw")::get), Duration.ofMinutes(1)));
    }

    @Test
    void aBadValueFailsNamingTheVariable() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Env.of(Map.of("PROCESSOR_NUM_STREAM_THREADS", "many"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_NUM_STREAM_THREADS");
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Env.of(Map.of("PROCESSOR_DEDUPE_RETENTION_DAYS", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_DEDUPE_RETENTION_DAYS");
    }

    @Test
    void testStreamsConfig() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Env.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k1:9092", "PROCESSOR_STATE_DIR", "/var/lib/proc",
                "IPN_DLQ_TOPIC", "prod.ipn.dlq")));

        Properties props = config.streamsProperties();

        assertThat(props)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "ipn-stream-processor")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/proc")
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L)
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "prod.ipn.dlq")
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetterHandlers.Deserialization.class)
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetterHandlers.Processing.class)
                .containsEntry(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetterHandlers.Production.class);
        // Streams accepts the whole set
        assertThat(new StreamsConfig(props).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        // one broker: nothing to ask of the internal topics beyond the broker default
        assertThat(props).doesNotContainKey(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
    }

    @Test
    void onAReplicatedClusterInternalTopicsNeedTwoInSyncReplicas() {
        Properties props = ProcessorConfig.fromEnv(Env.of(Map.of("KAFKA_REPLICATION_FACTOR", "3")))
                .streamsProperties();

        assertThat(props)
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry("topic.min.insync.replicas", "2");
        // Streams hands it to the topics it creates
        assertThat(new StreamsConfig(props).originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
    }
}
