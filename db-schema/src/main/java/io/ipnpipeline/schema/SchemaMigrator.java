package io.ipnpipeline.schema;

import io.ipnpipeline.schema.adopt.BotSchemaAdoption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that applies the Flyway migrations under {@code db/migration}.
 *
 * <p>A schema that already holds the Telegram bot's tables and no Flyway history (the normal way in: the pipeline
 * joins the bot's database) is first adopted by {@link BotSchemaAdoption}, which gives the bot's tables what V1
 * would have and creates V1's other tables; Flyway then baselines at version 1 and applies V2 onwards. V1's file is
 * never edited for this, so databases migrated earlier keep validating against the same checksums.
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    public static final String LOCATION = "classpath:db/migration";
    /** The version the adoption brings a bot schema to: V1__core_schema.sql's. */
    public static final String ADOPTED_VERSION = "1";
    /** No quote in it: Flyway pastes it into the history table's CREATE script unescaped. */
    public static final String ADOPTED_DESCRIPTION = "adopted Telegram bot tables";

    private SchemaMigrator() {
    }

    /** Migrates the connection's default schema ({@code public} unless the URL says {@code currentSchema}). */
    public static MigrateResult migrate(DataSource dataSource) {
        return migrate(dataSource, Flyway.configure().dataSource(dataSource).locations(LOCATION),
                currentSchema(dataSource));
    }

    /** Migrates into {@code schema}, creating it first; tests use one schema per test class. */
    public static MigrateResult migrate(DataSource dataSource, String schema) {
        return migrate(dataSource, Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true), schema);
    }

    private static MigrateResult migrate(DataSource dataSource, FluentConfiguration flyway, String schema) {
        if (schema != null && BotSchemaAdoption.adoptIfNeeded(dataSource, schema)) {
            // only now: baselining any other non-empty schema would skip V1 and leave it without a ledger
            flyway.baselineOnMigrate(true).baselineVersion(ADOPTED_VERSION).baselineDescription(ADOPTED_DESCRIPTION);
        }
        return log(flyway.load().migrate());
    }

    private static String currentSchema(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's current schema: " + e.getMessage(), e);
        }
    }

    private static MigrateResult log(MigrateResult result) {
        LOG.info("schema {} at version {} ({} migrations applied)", result.schemaName, result.targetSchemaVersion,
                result.migrationsExecuted);
        return result;
    }
}
