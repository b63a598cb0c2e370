package io.ipnpipeline.schema;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that applies the Flyway migrations under {@code db/migration}. */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    public static final String LOCATION = "classpath:db/migration";

    private SchemaMigrator() {
    }

    /** Migrates the connection's default schema ({@code public} unless the URL says {@code currentSchema}). */
    public static MigrateResult migrate(DataSource dataSource) {
        return log(Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate());
    }

    /** Migrates into {@code schema}, creating it first; tests use one schema per test class. */
    public static MigrateResult migrate(DataSource dataSource, String schema) {
        return log(Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .load()
                .migrate());
    }

    private static MigrateResult log(MigrateResult result) {
        LOG.info("schema {} at version {} ({} migrations applied)", result.schemaName, result.targetSchemaVersion,
                result.migrationsExecuted);
        return result;
    }
}
