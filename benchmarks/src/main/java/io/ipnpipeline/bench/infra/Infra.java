package io.ipnpipeline.bench.infra;

import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.schema.SchemaMigrator;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.db.Pools;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.embedded.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The harness's handle on the infrastructure JVM: addresses, fresh databases, and its memory. */
public final class Infra implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Infra.class);
    private static final long START_TIMEOUT_MS = 120_000;

    private final ChildJvm jvm;
    private final String bootstrap;
    private final String jdbcBase;
    private final Path pgData;
    private final AtomicLong peakPostgresPss = new AtomicLong();

    private Infra(ChildJvm jvm, Properties ready) {
        this.jvm = jvm;
        this.bootstrap = ready.getProperty("bootstrap");
        this.jdbcBase = ready.getProperty("jdbc");
        this.pgData = Path.of(ready.getProperty("pgdata"));
    }

    public static Infra start(Path workDir, String heap) {
        Path dir = workDir.resolve("infra");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(InfraMain.READY_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildJvm jvm = ChildJvm.start("infra", InfraMain.class.getName(), heap,
                Map.of(InfraMain.DIR_VARIABLE, dir.toString()), workDir.resolve("logs"));
        Properties ready = awaitReady(jvm, dir.resolve(InfraMain.READY_FILE));
        Infra infra = new Infra(jvm, ready);
        LOG.info("infrastructure up: kafka {}, postgres {} (durable)", infra.bootstrap, infra.jdbcBase);
        return infra;
    }

    private static Properties awaitReady(ChildJvm jvm, Path file) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!Files.exists(file)) {
            jvm.checkAlive();
            if (System.currentTimeMillis() > deadline) {
                jvm.close();
                throw new IllegalStateException("infrastructure not ready within " + START_TIMEOUT_MS + " ms");
            }
            Waits.sleep(100);
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** A new, empty database migrated with the pipeline's schema; returns its JDBC URL. */
    public String freshDatabase(String name) {
        try (Connection admin = DriverManager.getConnection(jdbcBase, PostgresServer.SUPERUSER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        String url = jdbcBase.substring(0, jdbcBase.lastIndexOf('/') + 1) + name;
        // Flyway holds one connection for its lock and another for the migration
        try (HikariDataSource pool = pool(url, "migrate", 2)) {
            SchemaMigrator.migrate(pool);
        }
        return url;
    }

    public DatabaseConfig database(String url) {
        return new DatabaseConfig(url, PostgresServer.SUPERUSER, new Secret(""));
    }

    public HikariDataSource pool(String url, String name, int size) {
        return Pools.create(database(url), name, size);
    }

    /** Samples PostgreSQL's memory (all its processes) and keeps the peak. */
    public long samplePostgresPss() {
        long pid = ProcessMemory.postmasterPid(pgData);
        if (pid > 0) {
            peakPostgresPss.accumulateAndGet(ProcessMemory.treePss(pid), Math::max);
        }
        return peakPostgresPss.get();
    }

    public long peakPostgresPss() {
        return peakPostgresPss.get();
    }

    public ChildJvm jvm() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.close();
    }
}
