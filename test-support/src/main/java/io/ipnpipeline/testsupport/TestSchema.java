package io.ipnpipeline.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.schema.SchemaMigrator;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.db.Pools;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A fresh schema of its own for one test class, migrated to the latest version (every
 * {@code db/migration} on the test classpath), with a JDBC URL whose {@code currentSchema} points at it, so
 * the code under test needs no schema name. Create it in {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
public final class TestSchema implements AutoCloseable {

    private static final int POOL_SIZE = 4;

    private final PostgresServer server;
    private final String name;
    private final HikariDataSource dataSource;

    private TestSchema(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
        this.dataSource = Pools.create(databaseConfig(), "test-" + name, POOL_SIZE);
    }

    /** A migrated schema on the shared PostgreSQL of this test JVM. */
    public static TestSchema create(String testName) {
        return create(TestInfra.postgres(), testName);
    }

    /** A migrated schema on {@code server} (e.g. a dedicated {@link TestPostgres} an outage test stops). */
    public static TestSchema create(PostgresServer server, String testName) {
        TestSchema schema = new TestSchema(server, TestNames.schema(testName));
        SchemaMigrator.migrate(schema.dataSource, schema.name);
        return schema;
    }

    /**
     * A schema with nothing in it yet, on the shared PostgreSQL, for tests of what the migrations meet there (the
     * Telegram bot's existing tables): create what it should hold, then migrate through its {@link #dataSource()}.
     */
    public static TestSchema unmigrated(String testName) {
        TestSchema schema = new TestSchema(TestInfra.postgres(), TestNames.schema(testName));
        try (Connection connection = schema.dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA \"" + schema.name + "\"");
        } catch (SQLException e) {
            schema.dataSource.close();
            throw new IllegalStateException("cannot create schema " + schema.name, e);
        }
        return schema;
    }

    public String name() {
        return name;
    }

    /** The server's URL with {@code currentSchema=<name>}. */
    public String jdbcUrl() {
        String url = server.jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** A small pool on this schema (4 connections), closed by {@link #close()}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** What a service's config takes. */
    public DatabaseConfig databaseConfig() {
        return new DatabaseConfig(jdbcUrl(), user(), new Secret(password()));
    }

    /** {@code PIPELINE_JDBC_URL}, {@code PIPELINE_DB_USER}, {@code PIPELINE_DB_PASSWORD} for this schema. */
    public Map<String, String> env() {
        return Map.of(DatabaseConfig.JDBC_URL, jdbcUrl(), DatabaseConfig.USER, user(),
                DatabaseConfig.PASSWORD, password());
    }

    /** Drops the schema and closes the pool. */
    @Override
    public void close() {
        try (dataSource; Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + name, e);
        }
    }

    @Override
    public String toString() {
        return "TestSchema[" + jdbcUrl() + "]";
    }
}
