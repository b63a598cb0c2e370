package io.ipnpipeline.bench.gateway;

import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.Heaps;
import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.infra.Waits;
import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.gateway.GatewayMain;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The ingest-gateway in its own JVM under its heap cap, configured as in production but for names and ports. */
public final class GatewayProcess implements AutoCloseable {

    private final ChildJvm jvm;
    private final int port;

    private GatewayProcess(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /** Starts it and waits until {@code /health/ready} (Kafka topic and database reachable). */
    public static GatewayProcess start(BenchContext ctx, String name, Map<String, String> topicEnv, String jdbcUrl) {
        int[] ports = Ports.ephemeral(2);
        int port = ports[0];
        Map<String, String> env = new HashMap<>(topicEnv);
        env.put(GatewayConfig.HOST, "127.0.0.1");
        env.put(GatewayConfig.PORT, Integer.toString(port));
        // never the default: another gateway on this machine may hold it
        env.put(GatewayConfig.OPS_PORT, Integer.toString(ports[1]));
        env.put(GatewayConfig.IPN_SECRET, BenchContext.SECRET);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, ctx.kafka().bootstrap());
        env.put(DatabaseConfig.JDBC_URL, jdbcUrl);
        env.put(DatabaseConfig.USER, "postgres");
        env.put(DatabaseConfig.PASSWORD, "");
        ChildJvm jvm = ChildJvm.start(name, GatewayMain.class.getName(), Heaps.GATEWAY, env, ctx.logDir());
        try {
            Waits.healthy(jvm, port, "/health/ready", Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            jvm.close();
            throw new IllegalStateException(e.getMessage() + "\n" + jvm.logTail(), e);
        }
        return new GatewayProcess(jvm, port);
    }

    public int port() {
        return port;
    }

    public ChildJvm jvm() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.close();
    }
}
