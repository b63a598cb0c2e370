package io.ipnpipeline.support.kafka;

import io.ipnpipeline.support.config.Env;

/** The Kafka variables every service reads, named in one place. */
public final class KafkaSettings {

    public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** Replication factor for topics a service creates; 3 on a real cluster, 1 for a single broker. */
    public static final String REPLICATION_FACTOR = "KAFKA_REPLICATION_FACTOR";

    private KafkaSettings() {
    }

    public static String bootstrapServers(Env env) {
        return env.string(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS);
    }

    public static short replicationFactor(Env env) {
        return (short) env.integer(REPLICATION_FACTOR, 1, 1, 7);
    }
}
