package io.ipnpipeline.ops.config;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the operator CLI reads from its environment, with the same variables and defaults as the services,
 * so an operator runs it with the environment of the deployment. {@link #toString()} is safe to print.
 *
 * @param bootstrapServers       {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param topics                 topic names ({@code IPN_RAW_TOPIC}, {@code IPN_DLQ_TOPIC}, {@code SINK_DLQ_TOPIC}, ...)
 * @param database               {@code PIPELINE_JDBC_URL}, {@code PIPELINE_DB_USER}, {@code PIPELINE_DB_PASSWORD}
 * @param processorApplicationId the processor's Kafka Streams application id, which is its consumer group
 *                               ({@code PROCESSOR_APPLICATION_ID}, default {@value #DEFAULT_APPLICATION_ID})
 * @param processorStateDir      the processor's state dir ({@code PROCESSOR_STATE_DIR}, same default as the
 *                               processor: {@code java.io.tmpdir/ipn-stream-processor})
 * @param nowPayments            the NOWPayments API, for reconciliation
 */
public record OpsConfig(
        String bootstrapServers,
        TopicNames topics,
        DatabaseConfig database,
        String processorApplicationId,
        Path processorStateDir,
        NowPaymentsConfig nowPayments) {

    public static final String APPLICATION_ID = "PROCESSOR_APPLICATION_ID";
    public static final String STATE_DIR = "PROCESSOR_STATE_DIR";
    public static final String DEFAULT_APPLICATION_ID = "ipn-stream-processor";

    public OpsConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(processorApplicationId, "processorApplicationId");
        Objects.requireNonNull(processorStateDir, "processorStateDir");
        Objects.requireNonNull(nowPayments, "nowPayments");
    }

    public static OpsConfig fromEnv(Env env) {
        return new OpsConfig(
                KafkaSettings.bootstrapServers(env),
                TopicNames.fromEnv(env.lookup()),
                DatabaseConfig.fromEnv(env),
                env.string(APPLICATION_ID, DEFAULT_APPLICATION_ID),
                Path.of(env.string(STATE_DIR,
                        Path.of(System.getProperty("java.io.tmpdir"), "ipn-stream-processor").toString())),
                NowPaymentsConfig.fromEnv(env));
    }

    public String ipnRawTopic() {
        return topics.name(Topics.IPN_RAW);
    }

    public String ipnDlqTopic() {
        return topics.name(Topics.IPN_DLQ);
    }

    public String sinkDlqTopic() {
        return topics.name(Topics.SINK_DLQ);
    }

    public String paymentsEnrichedTopic() {
        return topics.name(Topics.PAYMENTS_ENRICHED);
    }
}
