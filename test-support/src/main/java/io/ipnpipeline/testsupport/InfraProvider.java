package io.ipnpipeline.testsupport;

import java.util.Locale;

/**
 * Where a test JVM's shared broker and database come from. {@code PIPELINE_TEST_INFRA} picks one:
 * {@code embedded} (default: in-JVM KRaft broker, zonky PostgreSQL) or {@code containers} (Testcontainers,
 * for machines with a Docker engine).
 */
public interface InfraProvider {

    String VARIABLE = "PIPELINE_TEST_INFRA";

    /** Starts a Kafka cluster; returns once it accepts produce requests. */
    KafkaCluster startKafka();

    /** Starts (or connects to) a PostgreSQL server. */
    PostgresServer startPostgres();

    static InfraProvider fromEnv() {
        String value = System.getenv(VARIABLE);
        String mode = value == null || value.isBlank() ? "embedded" : value.trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "embedded" -> new EmbeddedInfra();
            case "containers" -> ContainersInfra.create();
            default -> throw new IllegalStateException(
                    VARIABLE + " must be 'embedded' or 'containers', got '" + value + "'");
        };
    }
}
