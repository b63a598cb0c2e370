package io.ipnpipeline.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft broker + controller in one process) inside the test JVM, built from the
 * broker's own jars. Ports are ephemeral on 127.0.0.1 and the log dir is its own under {@code target/}, so
 * several test JVMs can run brokers at once. {@link #stop()} and {@link #start()} keep the ports and the log
 * dir, so a test can take Kafka away and bring the same cluster back with its data.
 */
public final class EmbeddedKafkaBroker implements KafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private static final int BIND_ATTEMPTS = 3;

    private final Path logDir;
    private final Path configFile;
    private int brokerPort;
    private int controllerPort;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Map<String, String> overrides;
    private KafkaRaftServer server;
    private boolean formatted;
    private boolean startedOnce;

    private EmbeddedKafkaBroker(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.logDir = TestDirs.fresh("kafka");
        this.configFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
        this.brokerPort = FreePorts.next();
        this.controllerPort = FreePorts.next();
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
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        for (int attempt = 1; server == null; attempt++) {
            try {
                server = startServer();
            } catch (RuntimeException e) {
                // another process took a port between choosing it and binding it; before the first successful
                // start nobody knows the address yet, so choose again (a restart must keep its address)
                if (startedOnce || attempt >= BIND_ATTEMPTS || !causedByBindFailure(e)) {
                    throw e;
                }
                LOG.warn("ports {}/{} taken, choosing others", brokerPort, controllerPort);
                brokerPort = FreePorts.next();
                controllerPort = FreePorts.next();
            }
        }
        startedOnce = true;
        LOG.info("Kafka broker on {} started in {} ms (log dir {})", bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, logDir);
        return this;
    }

    /** Shuts the broker down, keeping its ports and data for {@link #start()} or {@link #restart()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    /** {@link #stop()} then {@link #start()}: same port, same log dir, same topics and offsets. */
    public synchronized EmbeddedKafkaBroker restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and deletes its log dir. */
    @Override
    public synchronized void close() {
        stop();
        TestDirs.deleteRecursively(logDir);
        TestDirs.deleteRecursively(configFile);
    }

    private KafkaRaftServer startServer() {
        Properties props = properties();
        format(props);
        KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            candidate.shutdown();
            candidate.awaitShutdown();
            throw e;
        }
        return candidate;
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // a single broker: every internal topic must accept replication factor and min ISR 1, or consumers
        // silently get nothing and initTransactions times out (INVALID_REPLICATION_FACTOR in the broker log)
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // fewer internal partitions: the coordinators load faster on first use
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        // a crashed transactional producer blocks read_committed readers until its transaction is aborted;
        // check for timed-out transactions every second instead of every 10 s
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // topics are created explicitly (TopicCreator); a typo must fail a test, not create a stray topic
        props.put("auto.create.topics.enable", "false");
        // the cleaner's default 128 MB dedupe buffer triples the broker's heap
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "2");
        props.putAll(overrides);
        return props;
    }

    private void format(Properties props) {
        if (formatted) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "embedded test broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"}, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
        formatted = true;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + (isRunning() ? "running" : "stopped") + "]";
    }
}
