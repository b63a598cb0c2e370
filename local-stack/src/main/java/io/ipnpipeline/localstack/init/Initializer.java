package io.ipnpipeline.localstack.init;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.schema.SchemaMigrator;
import io.ipnpipeline.support.kafka.TopicCreator;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a deployment's shared state to what the services expect before any of them starts: the Flyway
 * migrations, and every topic with production's partition counts and compaction. Idempotent: running it on
 * a deployment that has both changes nothing.
 */
public final class Initializer {

    private static final Logger LOG = LoggerFactory.getLogger(Initializer.class);

    private Initializer() {
    }

    public static void run(InitConfig config) {
        LOG.info("initialising with {}", config);
        migrate(config);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            TopicCreator.ensure(admin, config.topics(), Topics.all(), config.replicationFactor());
        }
    }

    private static void migrate(InitConfig config) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(config.database().jdbcUrl());
        dataSource.setUser(config.database().user());
        dataSource.setPassword(config.database().password().reveal());
        SchemaMigrator.migrate(dataSource);
    }
}
