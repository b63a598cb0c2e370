package io.ipnpipeline.testsupport;

import io.ipnpipeline.embedded.KafkaBroker;
import io.ipnpipeline.embedded.Ports;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka inside the test JVM ({@link KafkaBroker}), on ephemeral ports on 127.0.0.1
 * with its own log dir under {@code target/}, so several test JVMs can run brokers at once.
 * {@link #stop()} and {@link #start()} keep the ports and the log dir, so a test can take Kafka away and
 * bring the same cluster back with its data.
 */
public final class EmbeddedKafkaBroker implements KafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int BIND_ATTEMPTS = 3;

    private final Path logDir;
    private final Map<String, String> overrides;
    private final String clusterId = KafkaBroker.Settings.newClusterId();
    private KafkaBroker broker;
    private boolean startedOnce;

    private EmbeddedKafkaBroker(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.logDir = TestDirs.fresh("kafka");
        this.broker = newBroker();
    }

    /** A new broker, not yet started. */
    public static EmbeddedKafkaBroker create() {
        return new EmbeddedKafkaBroker(Map.of());
    }

    /** A new broker with extra or changed {@code server.properties} entries, not yet started. */
    public static EmbeddedKafkaBroker create(Map<String, String> overrides) {
        return new EmbeddedKafkaBroker(overrides);
    }

    /** Starts the broker; returns once it is unfenced and accepts produce requests. No-op when running. */
    public synchronized EmbeddedKafkaBroker start() {
        for (int attempt = 1; !broker.isRunning(); attempt++) {
            try {
                broker.start();
            } catch (RuntimeException e) {
                // another process took a port between choosing it and binding it; before the first successful
                // start nobody knows the address yet, so choose again (a restart must keep its address)
                if (startedOnce || attempt >= BIND_ATTEMPTS || !KafkaBroker.isBindFailure(e)) {
                    throw e;
                }
                LOG.warn("ports of {} taken, choosing others", broker);
                broker = newBroker();
            }
        }
        startedOnce = true;
        return this;
    }

    /** Shuts the broker down, keeping its ports and data for {@link #start()} or {@link #restart()}. */
    public synchronized void stop() {
        broker.stop();
    }

    /** {@link #stop()} then {@link #start()}: same port, same log dir, same topics and offsets. */
    public synchronized EmbeddedKafkaBroker restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return broker.isRunning();
    }

    @Override
    public synchronized String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and deletes its log dir. */
    @Override
    public synchronized void close() {
        stop();
        TestDirs.deleteRecursively(logDir);
        TestDirs.deleteRecursively(logDir.resolveSibling(logDir.getFileName() + ".properties"));
    }

    private KafkaBroker newBroker() {
        int[] ports = Ports.ephemeral(2); // broker and controller
        return new KafkaBroker(new KafkaBroker.Settings(logDir, ports[0], ports[1], clusterId, overrides));
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + (isRunning() ? "running" : "stopped") + "]";
    }
}
