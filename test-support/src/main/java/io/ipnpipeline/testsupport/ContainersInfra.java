package io.ipnpipeline.testsupport;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Opt-in ({@code PIPELINE_TEST_INFRA=containers}): the official apache/kafka and postgres images through
 * Testcontainers. Not exercised on machines without a Docker engine. Testcontainers is an optional dependency
 * of test-support, so a module using this mode adds org.testcontainers:kafka and :postgresql (test scope).
 */
final class ContainersInfra implements InfraProvider {

    static final String POSTGRES_IMAGE = "postgres:17";

    private ContainersInfra() {
    }

    static ContainersInfra create() {
        try {
            Class.forName("org.testcontainers.kafka.KafkaContainer", false, ContainersInfra.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(InfraProvider.VARIABLE + "=containers needs org.testcontainers:kafka and "
                    + "org.testcontainers:postgresql on the test classpath", e);
        }
        return new ContainersInfra();
    }

    @Override
    public KafkaCluster startKafka() {
        // the image of the same Kafka version as the clients on the classpath
        KafkaContainer container = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion());
        container.start();
        return new KafkaCluster() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    @Override
    public PostgresServer startPostgres() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(POSTGRES_IMAGE);
        container.start();
        return new PostgresServer() {
            @Override
            public String jdbcUrl() {
                return container.getJdbcUrl();
            }

            @Override
            public String user() {
                return container.getUsername();
            }

            @Override
            public String password() {
                return container.getPassword();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
