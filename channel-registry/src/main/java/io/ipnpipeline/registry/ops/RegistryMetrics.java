package io.ipnpipeline.registry.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The registry publisher's metrics, scraped from the ops port's {@code /metrics}. */
public final class RegistryMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter rowsPublished = Counter.builder("registry.rows.published")
            .description("channel.mappings values published (committed)").register(registry);
    private final Counter tombstones = Counter.builder("registry.tombstones.published")
            .description("channel.mappings tombstones published (committed) for rows that are gone")
            .register(registry);
    private final Counter resyncs = Counter.builder("registry.resyncs")
            .description("whole-table comparisons with the topic").register(registry);
    private final Counter notifications = Counter.builder("registry.notifications")
            .description("change notifications received from PostgreSQL").register(registry);
    private final Counter sessionFailures = Counter.builder("registry.session.failures")
            .description("database or Kafka failures that ended a leader or standby session").register(registry);
    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicInteger unusableRows = new AtomicInteger();
    private final Timer notificationLag = Timer.builder("registry.notification.lag")
            .description("from the row's updated_at (its writing transaction) to the value committed on the topic")
            .publishPercentiles(0.5, 0.99)
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);

    public RegistryMetrics() {
        Gauge.builder("registry.is.leader", leader, AtomicInteger::get)
                .description("1 while this instance holds the publisher leadership").register(registry);
        Gauge.builder("registry.unusable.rows", unusableRows, AtomicInteger::get)
                .description("main_clients_database rows this leader cannot publish (as of its last resync and the"
                        + " notifications since); 0 while another instance leads").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void published(int rows, int tombstoneCount) {
        rowsPublished.increment(rows);
        tombstones.increment(tombstoneCount);
    }

    public void resync() {
        resyncs.increment();
    }

    public void notifications(int count) {
        notifications.increment(count);
    }

    public void sessionFailure() {
        sessionFailures.increment();
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    public void unusableRows(int count) {
        unusableRows.set(count);
    }

    public int unusableRows() {
        return unusableRows.get();
    }

    public void notificationLag(Duration lag) {
        if (!lag.isNegative()) {
            notificationLag.record(lag);
        }
    }

    public double rowsPublished() {
        return rowsPublished.count();
    }

    public double tombstones() {
        return tombstones.count();
    }

    public double resyncs() {
        return resyncs.count();
    }
}
