package io.ipnpipeline.localstack.infra;

import io.ipnpipeline.embedded.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The stack's real single-node KRaft broker ({@link KafkaBroker}), with its log dir in the data dir: topics,
 * offsets and transactions survive a restart of the stack.
 */
public final class LocalKafka implements AutoCloseable {

    private final KafkaBroker broker;

    private LocalKafka(KafkaBroker broker) {
        this.broker = broker;
    }

    /** Formats {@code dir} on first use, starts the broker, and returns once it accepts produce requests. */
    public static LocalKafka start(Path dir, int port, int controllerPort) {
        KafkaBroker broker = new KafkaBroker(new KafkaBroker.Settings(dir.resolve("logs"), port, controllerPort,
                clusterId(dir), Map.of()));
        return new LocalKafka(broker.start());
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The cluster id chosen at the first start; formatting again with another one is refused by Kafka. */
    private static String clusterId(Path dir) {
        Path file = dir.resolve("cluster.id");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String id = KafkaBroker.Settings.newClusterId();
            Files.writeString(file, id, StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the cluster id in " + file, e);
        }
    }

    /** Controlled shutdown; returns when the broker has stopped and flushed its logs. */
    @Override
    public void close() {
        broker.close();
    }
}
