package io.ipnpipeline.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka cluster and one PostgreSQL server of a test JVM, started on first use and shared by every
 * test class of the module; a JVM shutdown hook stops them. Tests never stop these: a test that takes Kafka
 * or PostgreSQL away creates its own {@link EmbeddedKafkaBroker} or {@link TestPostgres#embedded()}.
 */
public final class TestInfra {

    private static final Logger LOG = LoggerFactory.getLogger(TestInfra.class);
    private static final Object LOCK = new Object();
    private static InfraProvider provider;
    private static KafkaCluster kafka;
    private static PostgresServer postgres;

    private TestInfra() {
    }

    /** The shared Kafka cluster, started on first call. */
    public static KafkaCluster kafka() {
        synchronized (LOCK) {
            if (kafka == null) {
                kafka = provider().startKafka();
                LOG.info("shared Kafka for this test JVM: {}", kafka.bootstrapServers());
            }
            return kafka;
        }
    }

    /** Shorthand for {@code kafka().bootstrapServers()}. */
    public static String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The shared PostgreSQL server, started on first call. Use {@link TestSchema} for a schema of your own. */
    public static PostgresServer postgres() {
        synchronized (LOCK) {
            if (postgres == null) {
                postgres = provider().startPostgres();
                LOG.info("shared PostgreSQL for this test JVM: {}", postgres.jdbcUrl());
            }
            return postgres;
        }
    }

    private static InfraProvider provider() {
        if (provider == null) {
            provider = InfraProvider.fromEnv();
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::shutdown, "test-infra-shutdown"));
        }
        return provider;
    }

    private static void shutdown() {
        synchronized (LOCK) {
            try {
                if (kafka != null) {
                    kafka.close();
                }
            } finally {
                kafka = null;
                if (postgres != null) {
                    postgres.close();
                }
                postgres = null;
            }
        }
    }
}
