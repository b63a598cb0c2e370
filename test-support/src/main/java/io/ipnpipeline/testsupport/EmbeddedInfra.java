package io.ipnpipeline.testsupport;

/** The default: a KRaft broker inside the JVM and an embedded PostgreSQL, or the one PIPELINE_TEST_JDBC_URL names. */
final class EmbeddedInfra implements InfraProvider {

    @Override
    public KafkaCluster startKafka() {
        return EmbeddedKafkaBroker.create().start();
    }

    @Override
    public PostgresServer startPostgres() {
        return TestPostgres.fromEnv().orElseGet(TestPostgres::embedded).start();
    }
}
