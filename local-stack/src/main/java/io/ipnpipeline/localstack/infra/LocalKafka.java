package io.ipnpipeline.localstack.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft broker and controller in this process) from the broker's own jars, with its
 * log dir kept in the data dir: topics, offsets and transactions survive a restart of the stack.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;

    private LocalKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Formats {@code logDir} on first use, starts the broker, and returns once it accepts produce requests. */
    public static LocalKafka start(Path logDir, int port, int controllerPort) {
        long started = System.nanoTime();
        Properties props = properties(logDir, port, controllerPort);
        format(logDir, props);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        LOG.info("Kafka broker on 127.0.0.1:{} started in {} ms", port, (System.nanoTime() - started) / 1_000_000);
        return new LocalKafka(server, port);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private static Properties properties(Path logDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.resolve("logs").toString());
        // one broker: every internal topic must accept replication factor and min ISR 1, or consumers get
        // nothing and initTransactions times out (INVALID_REPLICATION_FACTOR in the broker log)
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // fewer internal partitions: the group and transaction coordinators load faster on a cold start
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // topics come from TopicCreator with production partition counts; a typo must not create a stray one
        props.put("auto.create.topics.enable", "false");
        // the cleaner's default 128 MB dedupe buffer triples the broker's heap
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "2");
        return props;
    }

    private static void format(Path logDir, Properties props) {
        Path configFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "local stack broker; rewritten at every start");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // --ignore-formatted with the same cluster id: a restart keeps the data of the first start
            exit = StorageTool.execute(new String[] {"format", "-t", clusterId(logDir),
                "-c", configFile.toString(), "--ignore-formatted"}, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log dir " + logDir + " failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** The cluster id chosen at the first start; formatting again with another one is refused by Kafka. */
    private static String clusterId(Path logDir) {
        Path file = logDir.resolve("cluster.id");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id, StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the cluster id in " + file, e);
        }
    }

    /** Controlled shutdown; returns when the broker has stopped and flushed its logs. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }
}
