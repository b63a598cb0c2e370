package io.ipnpipeline.registry;

import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.registry.leader.PublisherLoop;
import io.ipnpipeline.registry.ops.RegistryMetrics;
import io.ipnpipeline.support.ops.OpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel registry publisher: keeps the compacted channel.mappings topic equal to
 * {@code main_clients_database}. Start as many as you like; one leads, the others stand by.
 * Start-up never waits for PostgreSQL or Kafka: it reports unready and keeps retrying instead.
 */
public final class RegistryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

    private final RegistryConfig config;
    private final RegistryMetrics metrics;
    private final Admin admin;
    private final PublisherLoop loop;
    private final Thread worker;
    private final OpsServer ops;

    private RegistryService(RegistryConfig config, RegistryMetrics metrics, Admin admin, PublisherLoop loop,
            Thread worker, OpsServer ops) {
        this.config = config;
        this.metrics = metrics;
        this.admin = admin;
        this.loop = loop;
        this.worker = worker;
        this.ops = ops;
    }

    public static RegistryService start(RegistryConfig config) {
        LOG.info("channel-registry starting with {}", config);
        RegistryMetrics metrics = new RegistryMetrics();
        Admin admin = Admin.create(adminProps(config));
        PublisherLoop loop = new PublisherLoop(config, metrics, admin);
        OpsServer ops;
        try {
            ops = OpsServer.start("channel-registry", config.opsPort(), metrics.registry(),
                    () -> loop.databaseReachable() && kafkaReachable(admin));
        } catch (IOException e) {
            admin.close();
            throw new UncheckedIOException("cannot open the ops port " + config.opsPort(), e);
        }
        Thread worker = new Thread(loop, "channel-registry-" + config.instanceName());
        worker.start();
        return new RegistryService(config, metrics, admin, loop, worker, ops);
    }

    public boolean isLeader() {
        return loop.isLeader();
    }

    /** The backend pid of the session that holds (or waits for) the leadership lock; 0 while disconnected. */
    public int backendPid() {
        return loop.backendPid();
    }

    public int opsPort() {
        return ops.port();
    }

    public RegistryMetrics metrics() {
        return metrics;
    }

    public RegistryConfig config() {
        return config;
    }

    private static Properties adminProps(RegistryConfig config) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "channel-registry-admin-" + config.instanceName());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return props;
    }

    private static boolean kafkaReachable(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Kafka not reachable: {}", e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        loop.stop();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("{}: publisher thread did not stop within 30 s", config.instanceName());
        }
        ops.close();
        admin.close();
        LOG.info("{}: closed", config.instanceName());
    }
}
