package io.ipnpipeline.processor.config;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.processor.errors.DeadLetterHandlers;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import io.ipnpipeline.support.kafka.TopicCreator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the stream processor reads from its environment, validated once at start.
 *
 * @param applicationId   Kafka Streams application id: consumer group, transactional id prefix and the prefix of
 *                        every internal topic. Fixed by default because changing it orphans all state.
 * @param stateDir        where RocksDB keeps the dedupe and parking stores (restored from changelogs if lost)
 * @param commitInterval  how often a transaction commits; under exactly-once this is the end-to-end latency floor
 * @param dedupeRetention how long a payment's last status is remembered after its last accepted change
 * @param maxRebalance    how long Streams may stay REBALANCING and still report ready
 */
public record ProcessorConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        int numStreamThreads,
        Duration commitInterval,
        Duration dedupeRetention,
        int opsPort,
        short replicationFactor,
        TopicNames topics,
        Duration maxRebalance) {

    public static final String APPLICATION_ID = "PROCESSOR_APPLICATION_ID";
    public static final String STATE_DIR = "PROCESSOR_STATE_DIR";
    public static final String NUM_STREAM_THREADS = "PROCESSOR_NUM_STREAM_THREADS";
    public static final String COMMIT_INTERVAL_MS = "PROCESSOR_COMMIT_INTERVAL_MS";
    public static final String DEDUPE_RETENTION_DAYS = "PROCESSOR_DEDUPE_RETENTION_DAYS";
    public static final String OPS_PORT = "PROCESSOR_OPS_PORT";
    public static final String MAX_REBALANCE_MS = "PROCESSOR_MAX_REBALANCE_MS";

    private static final String PROCESSING_HANDLER_GLOBAL = "processing.exception.handler.global.enabled";

    public static final String DEFAULT_APPLICATION_ID = "ipn-stream-processor";
    public static final int DEFAULT_COMMIT_INTERVAL_MS = 100;
    public static final int DEFAULT_DEDUPE_RETENTION_DAYS = 35;
    public static final int DEFAULT_OPS_PORT = 8091;
    /**
     * A rebalance takes seconds; restoring a large dedupe store after losing the local state can take minutes, and
     * reporting unready then is honest (nothing is processed). Past this, something is wrong.
     */
    public static final int DEFAULT_MAX_REBALANCE_MS = 300_000;
    static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    public static ProcessorConfig fromEnv(Env env) {
        return new ProcessorConfig(
                KafkaSettings.bootstrapServers(env),
                env.string(APPLICATION_ID, DEFAULT_APPLICATION_ID),
                Path.of(env.string(STATE_DIR, defaultStateDir())),
                env.integer(NUM_STREAM_THREADS, 1, 1, 64),
                Duration.ofMillis(env.integer(COMMIT_INTERVAL_MS, DEFAULT_COMMIT_INTERVAL_MS, 1, 600_000)),
                Duration.ofDays(env.integer(DEDUPE_RETENTION_DAYS, DEFAULT_DEDUPE_RETENTION_DAYS, 1, 3650)),
                env.integer(OPS_PORT, DEFAULT_OPS_PORT, 0, 65_535),
                KafkaSettings.replicationFactor(env),
                TopicNames.fromEnv(env.lookup()),
                Duration.ofMillis(env.integer(MAX_REBALANCE_MS, DEFAULT_MAX_REBALANCE_MS, 1_000, 86_400_000)));
    }

    /** Same place Kafka Streams would choose, but named for this service so it never shares a directory. */
    private static String defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "ipn-stream-processor").toString();
    }

    /** The Kafka Streams configuration; everything a deployment may tune comes from this record. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // changelogs (the dedupe store: a lost one re-emits payments already paid) need what the pipeline's own
        // topics get; Streams creates them with the broker default of 1 otherwise
        TopicCreator.minInSyncReplicas(replicationFactor).ifPresent(minIsr -> props.put(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), Integer.toString(minIsr)));
        // a generated store or topic name changes when the topology changes and silently orphans state
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.name(Topics.IPN_DLQ));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterHandlers.Deserialization.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        // the documented switch (deprecated only because 5.0 turns it on by default): the handler covers the
        // global table's thread too
        props.put(PROCESSING_HANDLER_GLOBAL, true);
        // the partition assignor builds a second StreamsConfig from the main consumer's settings only, which lack
        // the switch, and would log at every start that it is off (Kafka 4.4); the consumer merely lists it as unused
        props.put(StreamsConfig.mainConsumerPrefix(PROCESSING_HANDLER_GLOBAL), true);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Production.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // an enriched record is 1-2 KiB: with the default 16 KiB batches the producer starts a batch (and wakes its
        // sender thread) every few records; transactions flush at every commit anyway, so bigger batches only
        // mean fewer, fuller requests
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        return props;
    }
}
