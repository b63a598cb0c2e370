package io.ipnpipeline.gateway.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the gateway can do its work: Kafka answers for {@code ipn.raw} (the topic exists and has leaders)
 * and PostgreSQL accepts a query. Blocking: run it on a worker, never on an event loop.
 *
 * <p>The {@code dataSource} must be the check's own (GatewayService gives it a one-connection pool): borrowed from
 * the status API's pool, a few polls waiting on a lock would make PostgreSQL look down while it answers, and
 * balancers would take the gateway, IPN intake included, out of rotation.
 */
public final class Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    private static final int TIMEOUT_MS = 1_000;

    private final Admin admin;
    private final String topic;
    private final DataSource dataSource;

    public Readiness(Admin admin, String topic, DataSource dataSource) {
        this.admin = admin;
        this.topic = topic;
        this.dataSource = dataSource;
    }

    public Status check() {
        return new Status(kafka(), postgres());
    }

    boolean kafka() {
        try {
            admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS))
                    .allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("kafka not ready: {}", e.toString());
            return false;
        }
    }

    boolean postgres() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(TIMEOUT_MS / 1_000);
        } catch (SQLException e) {
            LOG.debug("postgresql not ready: {}", e.toString());
            return false;
        }
    }

    public record Status(boolean kafka, boolean postgres) {
        public boolean ready() {
            return kafka && postgres;
        }
    }
}
