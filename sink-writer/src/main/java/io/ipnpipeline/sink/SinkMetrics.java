package io.ipnpipeline.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The sink's Prometheus metrics, named in one place. */
public final class SinkMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter recordsConsumed = Counter.builder("sink_records_consumed")
            .description("payments.enriched records taken into a batch").register(registry);
    private final Counter ledgerRows = rows("payments");
    private final Counter subscriptionRows = rows("private_channel_users_database");
    private final Counter outboxRows = rows("command_outbox");
    private final Counter deadLettered = Counter.builder("sink_dead_lettered")
            .description("records sent to the sink dead-letter topic").register(registry);
    private final Counter invitesIssued = issued("invite");
    private final Counter payoutsIssued = issued("payout");
    private final Counter alreadyIssued = Counter.builder("sink_commands_already_issued")
            .description("outbox commands passed over because the restore guard found them in Kafka").register(registry);
    private final Counter dbFailures = Counter.builder("sink_db_failures")
            .description("batch attempts that failed for a reason other than the record (retried)").register(registry);
    private final Counter deadLetterFailures = Counter.builder("sink_dead_letter_failures")
            .description("attempts to write dead letters that were not all acknowledged (retried; consumption paused)")
            .register(registry);
    private final Timer batchLatency = Timer.builder("sink_batch_latency")
            .description("from a batch's first record to its consumer offsets being committed")
            .publishPercentiles(0.5, 0.99).register(registry);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong publisherLeader = new AtomicLong();
    /** Registered at 0, so an alert on its increase sees the first failure (a counter born at 1 shows no increase). */
    private final Counter publisherFailures = Counter.builder("sink_outbox_publisher_failures")
            .description("rounds in which the outbox publisher failed or refused to publish (retried with backoff)")
            .register(registry);
    private final AtomicLong unpublished = new AtomicLong();

    public SinkMetrics() {
        Gauge.builder("sink_outbox_publisher_leader", publisherLeader, AtomicLong::get)
                .description("1 while this instance holds the publisher lease and publishes commands")
                .register(registry);
        Gauge.builder("sink_outbox_unpublished", unpublished, AtomicLong::get)
                .description("the highest outbox_id minus the position PostgreSQL last heard of (command_outbox_published):"
                        + " outbox ids not yet committed to Kafka, as seen by the publisher leader (0 elsewhere)")
                .register(registry);
        Gauge.builder("sink_consumer_lag", lag, AtomicLong::get)
                .description("log end minus committed offset of payments.enriched, summed over assigned partitions"
                        + " (records fetched but not yet applied count as behind)")
                .register(registry);
    }

    private Counter rows(String table) {
        return Counter.builder("sink_rows_applied").tag("table", table)
                .description("rows inserted or moved forward").register(registry);
    }

    private Counter issued(String kind) {
        return Counter.builder("sink_commands_issued").tag("kind", kind)
                .description("commands committed to Kafka by the outbox publisher").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void consumed(int records) {
        recordsConsumed.increment(records);
    }

    public void applied(int ledger, int subscriptions, int outbox) {
        ledgerRows.increment(ledger);
        subscriptionRows.increment(subscriptions);
        outboxRows.increment(outbox);
    }

    public void deadLettered(int records) {
        deadLettered.increment(records);
    }

    public void alreadyIssued() {
        alreadyIssued.increment();
    }

    public void dbFailure() {
        dbFailures.increment();
    }

    public void deadLetterFailure() {
        deadLetterFailures.increment();
    }

    public void issued(boolean invite) {
        (invite ? invitesIssued : payoutsIssued).increment();
    }

    public void batchLatency(Duration duration) {
        batchLatency.record(duration);
    }

    public void lag(long records) {
        lag.set(records);
    }

    public void publisherFailure() {
        publisherFailures.increment();
    }

    public void unpublished(long outboxIds) {
        unpublished.set(outboxIds);
    }

    public void publisherLeader(boolean leader) {
        publisherLeader.set(leader ? 1 : 0);
    }
}
