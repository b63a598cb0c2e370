package io.ipnpipeline.sink.config;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.sink.db.TransactionLimits;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the sink-writer reads from its environment, in one immutable record. {@code toString} is safe to
 * log: the database password is a {@link io.ipnpipeline.support.config.Secret}.
 *
 * @param batchMaxRecords   a batch is applied once it holds this many records ...
 * @param batchMaxWaitMs    ... or this long after its first record arrived, whichever comes first
 * @param poolSize          HikariCP connections: one for the batch writer, one for the readiness probe, one
 *                          spare (the outbox publisher holds its own connection: its session is its lease)
 * @param transactionalId   the command publisher's fixed Kafka transactional.id; a restarted publisher with the
 *                          same id fences its predecessor; also the key of its record on the outbox position topic
 * @param migrate           apply the Flyway migrations at start
 * @param publisherEnabled  run an outbox publisher in this process; of all instances with the same
 *                          transactional id, the one holding the publisher lease publishes, the others stand by
 * @param transactionLimits how long one of the consumer's PostgreSQL transactions may wait for a lock or run one
 *                          statement before it fails (and is retried with backoff, the service unready)
 */
public record SinkConfig(
        String bootstrapServers,
        short replicationFactor,
        DatabaseConfig database,
        int batchMaxRecords,
        int batchMaxWaitMs,
        int poolSize,
        String consumerGroup,
        String transactionalId,
        int opsPort,
        boolean migrate,
        TopicNames topics,
        boolean publisherEnabled,
        int outboxBatchSize,
        int outboxPollMs,
        int outboxRetentionHours,
        int shutdownTimeoutMs,
        TransactionLimits transactionLimits) {

    public static final String BATCH_MAX_RECORDS = "SINK_BATCH_MAX_RECORDS";
    public static final String BATCH_MAX_WAIT_MS = "SINK_BATCH_MAX_WAIT_MS";
    public static final String POOL_SIZE = "SINK_POOL_SIZE";
    public static final String CONSUMER_GROUP = "SINK_CONSUMER_GROUP";
    public static final String TRANSACTIONAL_ID = "SINK_TRANSACTIONAL_ID";
    public static final String OPS_PORT = "SINK_OPS_PORT";
    public static final String MIGRATE = "SINK_MIGRATE";
    public static final String PUBLISHER_ENABLED = "SINK_PUBLISHER_ENABLED";
    public static final String OUTBOX_BATCH_SIZE = "SINK_OUTBOX_BATCH_SIZE";
    public static final String OUTBOX_POLL_MS = "SINK_OUTBOX_POLL_MS";
    public static final String OUTBOX_RETENTION_HOURS = "SINK_OUTBOX_RETENTION_HOURS";
    public static final String SHUTDOWN_TIMEOUT_MS = "SINK_SHUTDOWN_TIMEOUT_MS";
    public static final String DB_LOCK_TIMEOUT_MS = "SINK_DB_LOCK_TIMEOUT_MS";
    public static final String DB_STATEMENT_TIMEOUT_MS = "SINK_DB_STATEMENT_TIMEOUT_MS";

    public SinkConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(transactionLimits, "transactionLimits");
    }

    public static SinkConfig fromEnv(Env env) {
        return new SinkConfig(
                KafkaSettings.bootstrapServers(env),
                KafkaSettings.replicationFactor(env),
                DatabaseConfig.fromEnv(env),
                env.integer(BATCH_MAX_RECORDS, 10_000, 1, 50_000),
                env.integer(BATCH_MAX_WAIT_MS, 50, 0, 60_000),
                env.integer(POOL_SIZE, 3, 2, 64),
                env.string(CONSUMER_GROUP, "ipn-sink-writer"),
                env.string(TRANSACTIONAL_ID, "ipn-sink-outbox-publisher"),
                env.integer(OPS_PORT, 8082, 0, 65_535),
                env.bool(MIGRATE, true),
                TopicNames.fromEnv(env.lookup()),
                env.bool(PUBLISHER_ENABLED, true),
                env.integer(OUTBOX_BATCH_SIZE, 5_000, 1, 50_000),
                env.integer(OUTBOX_POLL_MS, 200, 10, 60_000),
                env.integer(OUTBOX_RETENTION_HOURS, 168, 0, 100_000),
                env.integer(SHUTDOWN_TIMEOUT_MS, 30_000, 0, 600_000),
                new TransactionLimits(
                        Duration.ofMillis(env.integer(DB_LOCK_TIMEOUT_MS,
                                (int) TransactionLimits.DEFAULT.lockTimeout().toMillis(), 1, 600_000)),
                        Duration.ofMillis(env.integer(DB_STATEMENT_TIMEOUT_MS,
                                (int) TransactionLimits.DEFAULT.statementTimeout().toMillis(), 1, 3_600_000))));
    }

    /** The same sink without its outbox publisher: it applies payments and queues commands, publishing none. */
    public SinkConfig withoutPublisher() {
        return new SinkConfig(bootstrapServers, replicationFactor, database, batchMaxRecords, batchMaxWaitMs,
                poolSize, consumerGroup, transactionalId, opsPort, migrate, topics, false, outboxBatchSize,
                outboxPollMs, outboxRetentionHours, shutdownTimeoutMs, transactionLimits);
    }

    public SinkConfig withTopics(TopicNames names) {
        return new SinkConfig(bootstrapServers, replicationFactor, database, batchMaxRecords, batchMaxWaitMs,
                poolSize, consumerGroup, transactionalId, opsPort, migrate, names, publisherEnabled, outboxBatchSize,
                outboxPollMs, outboxRetentionHours, shutdownTimeoutMs, transactionLimits);
    }

    public SinkConfig withConsumerGroup(String group) {
        return new SinkConfig(bootstrapServers, replicationFactor, database, batchMaxRecords, batchMaxWaitMs,
                poolSize, group, transactionalId, opsPort, migrate, topics, publisherEnabled, outboxBatchSize,
                outboxPollMs, outboxRetentionHours, shutdownTimeoutMs, transactionLimits);
    }

    public SinkConfig withTransactionalId(String id) {
        return new SinkConfig(bootstrapServers, replicationFactor, database, batchMaxRecords, batchMaxWaitMs,
                poolSize, consumerGroup, id, opsPort, migrate, topics, publisherEnabled, outboxBatchSize,
                outboxPollMs, outboxRetentionHours, shutdownTimeoutMs, transactionLimits);
    }
}
