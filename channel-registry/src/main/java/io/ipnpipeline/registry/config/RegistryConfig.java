package io.ipnpipeline.registry.config;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the channel registry publisher reads from its environment:
 * <ul>
 * <li>{@code KAFKA_BOOTSTRAP_SERVERS} (127.0.0.1:9092), {@code KAFKA_REPLICATION_FACTOR} (1)</li>
 * <li>{@code PIPELINE_JDBC_URL}, {@code PIPELINE_DB_USER}, {@code PIPELINE_DB_PASSWORD} (see DatabaseConfig)</li>
 * <li>{@code CHANNEL_MAPPINGS_TOPIC} (channel.mappings)</li>
 * <li>{@code REGISTRY_RESYNC_INTERVAL_MS} (60000): how often the whole table is compared with the topic</li>
 * <li>{@code REGISTRY_STANDBY_RETRY_MS} (3000): how often a standby tries to take leadership</li>
 * <li>{@code REGISTRY_OPS_PORT} (8094; 0 = any free port): health and metrics</li>
 * <li>{@code REGISTRY_INSTANCE_NAME} (host name): names this instance in logs and pg_stat_activity</li>
 * </ul>
 * Its {@code toString} masks the database password, so the record is logged whole at start.
 */
public record RegistryConfig(
        String bootstrapServers,
        short replicationFactor,
        DatabaseConfig database,
        TopicNames topics,
        Duration resyncInterval,
        Duration standbyRetry,
        int opsPort,
        String instanceName) {

    public static final String RESYNC_INTERVAL_MS = "REGISTRY_RESYNC_INTERVAL_MS";
    public static final String STANDBY_RETRY_MS = "REGISTRY_STANDBY_RETRY_MS";
    public static final String OPS_PORT = "REGISTRY_OPS_PORT";
    public static final String INSTANCE_NAME = "REGISTRY_INSTANCE_NAME";

    public static final long DEFAULT_RESYNC_INTERVAL_MS = 60_000;
    public static final long DEFAULT_STANDBY_RETRY_MS = 3_000;
    public static final int DEFAULT_OPS_PORT = 8094;

    public RegistryConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(standbyRetry, "standbyRetry");
        if (instanceName == null || instanceName.isBlank()) {
            throw new ConfigException(INSTANCE_NAME + " must not be blank");
        }
    }

    public static RegistryConfig fromEnv(Env env) {
        return new RegistryConfig(
                KafkaSettings.bootstrapServers(env),
                KafkaSettings.replicationFactor(env),
                DatabaseConfig.fromEnv(env),
                TopicNames.fromEnv(env.lookup()),
                Duration.ofMillis(env.longValue(RESYNC_INTERVAL_MS, DEFAULT_RESYNC_INTERVAL_MS, 1_000, 86_400_000)),
                Duration.ofMillis(env.longValue(STANDBY_RETRY_MS, DEFAULT_STANDBY_RETRY_MS, 100, 600_000)),
                env.integer(OPS_PORT, DEFAULT_OPS_PORT, 0, 65_535),
                env.string(INSTANCE_NAME, env.string("HOSTNAME", "channel-registry-" + ProcessHandle.current().pid())));
    }

    /** The one topic this service writes. */
    public String mappingsTopic() {
        return topics.name(Topics.CHANNEL_MAPPINGS);
    }

    public RegistryConfig withResyncInterval(Duration interval) {
        return new RegistryConfig(bootstrapServers, replicationFactor, database, topics, interval, standbyRetry,
                opsPort, instanceName);
    }

    public RegistryConfig withInstanceName(String name) {
        return new RegistryConfig(bootstrapServers, replicationFactor, database, topics, resyncInterval,
                standbyRetry, opsPort, name);
    }

    @Override
    public String toString() {
        return "RegistryConfig[bootstrapServers=" + bootstrapServers
                + ", replicationFactor=" + replicationFactor
                + ", database=" + database
                + ", " + Topics.CHANNEL_MAPPINGS.envVariable() + "=" + mappingsTopic()
                + ", resyncInterval=" + resyncInterval
                + ", standbyRetry=" + standbyRetry
                + ", opsPort=" + opsPort
                + ", instanceName=" + instanceName + "]";
    }
}
