package io.ipnpipeline.embedded;

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
 * A real single-node Kafka (KRaft broker + controller in one process) inside this JVM, from the broker's own
 * jars. {@link #stop()} and {@link #start()} keep the ports and the log dir, so the same cluster comes back
 * with its topics and offsets; a log dir formatted earlier (a local stack's data dir) is reused as it is.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;

    /**
     * Where and on which ports; {@code clusterId} formats a new log dir (one formatted before keeps its own);
     * {@code overrides} are extra or changed {@code server.properties} entries.
     */
    public record Settings(Path logDir, int brokerPort, int controllerPort, String clusterId,
            Map<String, String> overrides) {
        public Settings {
            overrides = Map.copyOf(overrides);
        }

        public static String newClusterId() {
            return Uuid.randomUuid().toString();
        }
    }

    private final Settings settings;
    private final Path configFile;
    private KafkaRaftServer server;
    private boolean formatted;

    public KafkaBroker(Settings settings) {
        this.settings = settings;
        this.configFile = settings.logDir().resolveSibling(settings.logDir().getFileName() + ".properties");
    }

    /** Starts the broker; returns once it is unfenced and accepts produce requests. No-op when running. */
    public synchronized KafkaBroker start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
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
        server = candidate;
        LOG.info("Kafka broker on {} started in {} ms (log dir {})", bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, settings.logDir());
        return this;
    }

    /** Shuts the broker down, keeping its ports and data. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + settings.brokerPort();
    }

    public Settings settings() {
        return settings;
    }

    /** Stops the broker; the log dir stays (callers that own a temporary one delete it). */
    @Override
    public void close() {
        stop();
    }

    /** Whether a start failed because a port was taken (callers that chose the port may choose again). */
    public static boolean isBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private Properties properties() {
        int brokerPort = settings.brokerPort();
        int controllerPort = settings.controllerPort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", settings.logDir().toString());
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
        // topics are created explicitly (TopicCreator); a typo must fail, not create a stray topic
        props.put("auto.create.topics.enable", "false");
        // the cleaner's default 128 MB dedupe buffer triples the broker's heap
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "2");
        props.putAll(settings.overrides());
        return props;
    }

    private void format(Properties props) {
        if (formatted) {
            return;
        }
        try {
            Files.createDirectories(settings.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + settings.logDir(), e);
        }
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "embedded broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // --ignore-formatted: a log dir formatted before keeps its cluster id and data
            exit = StorageTool.execute(new String[] {"format", "-t", settings.clusterId(),
                "-c", configFile.toString(), "--ignore-formatted"}, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting " + settings.logDir() + " failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
        formatted = true;
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + (isRunning() ? "running" : "stopped") + "]";
    }
}
