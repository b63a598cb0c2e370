package io.ipnpipeline.localstack.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The ports of one local stack, stable across restarts: an explicit choice wins and is remembered; otherwise
 * the port remembered in the data dir; otherwise the default, or any free port when the default is taken.
 * Stable ports keep endpoints.env, psql sessions and the broker's registered address valid after a restart.
 */
public final class PortPlan {

    /** Every port the stack opens, with its default. */
    public enum Port {
        GATEWAY("gateway", 8080),
        GATEWAY_OPS("gateway.ops", 18093),
        KAFKA("kafka", 19092),
        KAFKA_CONTROLLER("kafka.controller", 19093),
        POSTGRES("postgres", 15432),
        PROCESSOR_OPS("processor.ops", 18091),
        SINK_OPS("sink.ops", 18092),
        REGISTRY_OPS("registry.ops", 18094);

        private final String key;
        private final int defaultPort;

        Port(String key, int defaultPort) {
            this.key = key;
            this.defaultPort = defaultPort;
        }

        public String key() {
            return key;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    static final String FILE = "ports.properties";

    private final Map<Port, Integer> ports;

    private PortPlan(Map<Port, Integer> ports) {
        this.ports = Map.copyOf(ports);
    }

    /** Resolves every port and writes the result to the data dir's {@code ports.properties}. */
    public static PortPlan resolve(Path dataDir, Map<Port, Integer> explicit) {
        Properties remembered = load(dataDir.resolve(FILE));
        Map<Port, Integer> chosen = new EnumMap<>(Port.class);
        for (Port port : Port.values()) {
            chosen.put(port, choose(port, explicit.get(port), remembered, chosen));
        }
        PortPlan plan = new PortPlan(chosen);
        plan.save(dataDir.resolve(FILE));
        return plan;
    }

    public int port(Port port) {
        return ports.get(port);
    }

    /** Fails with the flag to use when one of {@code needed} is taken, before anything has started. */
    public void requireFree(Iterable<Port> needed) {
        for (Port port : needed) {
            if (!isFree(port(port))) {
                throw new IllegalStateException("port " + port(port) + " (" + port.key() + ") is in use; stop what"
                        + " holds it or choose another with --" + port.key().replace('.', '-') + "-port");
            }
        }
    }

    private static int choose(Port port, Integer explicit, Properties remembered, Map<Port, Integer> taken) {
        if (explicit != null && explicit > 0) {
            return explicit;
        }
        Optional<Integer> kept = Optional.ofNullable(remembered.getProperty(port.key())).map(Integer::valueOf);
        if (kept.isPresent()) {
            // a remembered port that is busy now is an error the user must see, not a silent move
            return kept.get();
        }
        if (!taken.containsValue(port.defaultPort()) && isFree(port.defaultPort())) {
            return port.defaultPort();
        }
        return freePort(taken);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(Map<Port, Integer> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (!taken.containsValue(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
        throw new IllegalStateException("cannot find a free port");
    }

    private static Properties load(Path file) {
        Properties props = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return props;
    }

    private void save(Path file) {
        Properties props = new Properties();
        ports.forEach((port, number) -> props.setProperty(port.key(), String.valueOf(number)));
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "ports of this local stack; change one with its flag (e.g. --gateway-port)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "PortPlan" + ports;
    }
}
