package io.ipnpipeline.localstack.init;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.util.Objects;

/**
 * What the one-shot {@code init} step reads: where Kafka and PostgreSQL are, the replication factor for new
 * topics, and the topic names ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_REPLICATION_FACTOR},
 * {@code PIPELINE_JDBC_URL}, {@code PIPELINE_DB_USER}, {@code PIPELINE_DB_PASSWORD}, {@code *_TOPIC}).
 * {@code toString} masks the password.
 */
public record InitConfig(String bootstrapServers, short replicationFactor, DatabaseConfig database,
        TopicNames topics) {

    public InitConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(topics, "topics");
    }

    public static InitConfig fromEnv(Env env) {
        return new InitConfig(
                KafkaSettings.bootstrapServers(env),
                KafkaSettings.replicationFactor(env),
                DatabaseConfig.fromEnv(env),
                TopicNames.fromEnv(env.lookup()));
    }
}
