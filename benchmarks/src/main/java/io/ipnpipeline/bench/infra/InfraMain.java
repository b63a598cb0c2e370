package io.ipnpipeline.bench.infra;

import io.ipnpipeline.embedded.KafkaBroker;
import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.embedded.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker and the database of a benchmark, in a JVM of their own so the services' memory is measured
 * apart from theirs. PostgreSQL runs durable (fsync, synchronous_commit and full_page_writes on). Writes
 * {@code infra.properties} into {@code BENCH_INFRA_DIR} once both accept connections, and runs until SIGTERM.
 */
public final class InfraMain {

    private static final Logger LOG = LoggerFactory.getLogger(InfraMain.class);
    public static final String DIR_VARIABLE = "BENCH_INFRA_DIR";
    public static final String READY_FILE = "infra.properties";

    private InfraMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of(System.getenv(DIR_VARIABLE));
        PostgresServer postgres = new PostgresServer(new PostgresServer.Settings(dir.resolve("pgdata"),
                Ports.ephemeral(), true)).start();
        int[] ports = Ports.ephemeral(2); // broker and controller
        KafkaBroker broker = new KafkaBroker(new KafkaBroker.Settings(dir.resolve("kafka"), ports[0], ports[1],
                KafkaBroker.Settings.newClusterId(), Map.of())).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            postgres.close();
            stopped.countDown();
        }, "infra-shutdown"));
        writeReady(dir, broker, postgres);
        LOG.info("benchmark infrastructure ready: kafka {}, postgres {}", broker.bootstrapServers(), postgres.jdbcUrl());
        stopped.await();
    }

    private static void writeReady(Path dir, KafkaBroker broker, PostgresServer postgres) throws IOException {
        Properties ready = new Properties();
        ready.setProperty("bootstrap", broker.bootstrapServers());
        ready.setProperty("jdbc", postgres.jdbcUrl());
        ready.setProperty("pgdata", postgres.settings().dataDir().toString());
        Path partial = dir.resolve(READY_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(partial)) {
            ready.store(out, "benchmark infrastructure");
        }
        Files.move(partial, dir.resolve(READY_FILE), StandardCopyOption.ATOMIC_MOVE);
    }
}
