package io.ipnpipeline.gateway.ops;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ledger says about payments a customer may be waiting on, counted every {@link #PERIOD_MS}; the "payments
 * stuck", "parked awaiting a mapping" and "new payments in review" alerts watch these gauges (the ledger is the
 * truth about what a customer sees, whichever service is slow):
 * <ul>
 *   <li>{@code gateway.payments.stuck{status_word="processing"}}: the customer has paid (NOWPayments moved past
 *       {@code waiting}: confirming, confirmed, sending) and nothing changed for {@link #PROCESSING_AFTER}.
 *       {@code waiting} is not stuck: NOWPayments keeps an abandoned invoice there for days.</li>
 *   <li>{@code gateway.payments.stuck{status_word="awaiting_mapping"}}: paid ({@link #PAID}) and parked for
 *       {@link #AWAITING_MAPPING_AFTER}: its channel has no mapping, nothing else will move it. A payment is
 *       parked at whatever status it reaches, so an abandoned invoice of a removed channel is parked at
 *       {@code expired} or {@code failed}: that is no money and nobody waiting, and must not page for ever.</li>
 *   <li>{@code gateway.payments.needs_review}: every row in review, the human backlog (review rows never leave
 *       that state by themselves, so no alert watches the backlog).</li>
 *   <li>{@code gateway.payments.needs_review.recent}: review rows that entered review, or moved on at NOWPayments,
 *       within {@link #REVIEW_RECENT}: news for a human, and gone again once old.</li>
 * </ul>
 * ops-cli's {@code stuck} lists the same rows by the same rule (its IT compares the two). Every gauge is NaN until
 * the first count and while the database does not answer, so an alert never fires on a guess (and one alert
 * watches for NaN).
 */
public final class StuckPayments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StuckPayments.class);
    public static final String METRIC = "gateway.payments.stuck";
    public static final String REVIEW_METRIC = "gateway.payments.needs_review";
    public static final String REVIEW_RECENT_METRIC = "gateway.payments.needs_review.recent";
    /**
     * Past waiting, a payment normally moves within minutes (confirmations on the chains NOWPayments uses, then its
     * own sending); half an hour is a slow chain at worst, and beyond that a customer has paid and sees
     * "processing" with no end.
     */
    public static final Duration PROCESSING_AFTER = Duration.ofMinutes(30);
    /** A parked payment waits for nobody but an operator: a missing mapping is worth a page early. */
    public static final Duration AWAITING_MAPPING_AFTER = Duration.ofMinutes(10);
    public static final Duration REVIEW_RECENT = Duration.ofHours(1);
    /**
     * The NOWPayments statuses that mean the customer's money arrived and someone waits on the pipeline: not
     * waiting (nothing paid yet), not expired or failed (nothing arrived, or it never will), not refunded (the
     * money went back; no invite or payout can follow). ops-cli's {@code stuck} uses the same set (its IT checks).
     */
    public static final Set<PaymentStatus> PAID = EnumSet.of(PaymentStatus.CONFIRMING, PaymentStatus.CONFIRMED,
            PaymentStatus.SENDING, PaymentStatus.PARTIALLY_PAID, PaymentStatus.FINISHED);
    static final long PERIOD_MS = 30_000;
    /** The labels of {@link #METRIC} and the two review gauges, in the order {@link #SQL} answers them. */
    static final List<String> SERIES = List.of("processing", "awaiting_mapping", "needs_review", "needs_review_recent");
    /**
     * One pass over the ledger's partial index payments_unsettled_idx (the status_word predicate is the index's);
     * the status column is NOWPayments' own word, so {@code status = ANY(PAID)} is "the customer has paid".
     */
    private static final String SQL = """
            SELECT count(*) FILTER (WHERE status_word = 'processing' AND status = ANY(?)
                                      AND updated_at < now() - make_interval(secs => ?)),
                   count(*) FILTER (WHERE status_word = 'awaiting_mapping' AND status = ANY(?)
                                      AND updated_at < now() - make_interval(secs => ?)),
                   count(*) FILTER (WHERE status_word = 'needs_review'),
                   count(*) FILTER (WHERE status_word = 'needs_review'
                                      AND updated_at >= now() - make_interval(secs => ?))
              FROM payments
             WHERE status_word IN ('processing', 'awaiting_mapping', 'needs_review')""";

    private final Vertx vertx;
    private final DataSource dataSource;
    private final WorkerExecutor workers;
    private final Map<String, AtomicReference<Double>> counts = new LinkedHashMap<>();
    private final long timer;

    public StuckPayments(Vertx vertx, DataSource dataSource, WorkerExecutor workers, MeterRegistry registry) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.workers = workers;
        SERIES.forEach(series -> counts.put(series, new AtomicReference<>(Double.NaN)));
        stuckGauge(registry, "processing", "payments past waiting unchanged for over "
                + PROCESSING_AFTER.toMinutes() + " minutes");
        stuckGauge(registry, "awaiting_mapping", "paid payments parked for over "
                + AWAITING_MAPPING_AFTER.toMinutes() + " minutes");
        Gauge.builder(REVIEW_METRIC, counts.get("needs_review"), AtomicReference::get)
                .description("payments in needs_review, however old").register(registry);
        Gauge.builder(REVIEW_RECENT_METRIC, counts.get("needs_review_recent"), AtomicReference::get)
                .description("payments in needs_review changed within the last " + REVIEW_RECENT.toMinutes()
                        + " minutes").register(registry);
        this.timer = vertx.setPeriodic(0, PERIOD_MS, id -> refresh());
    }

    private void stuckGauge(MeterRegistry registry, String word, String description) {
        Gauge.builder(METRIC, counts.get(word), AtomicReference::get).description(description)
                .tag("status_word", word).register(registry);
    }

    private void refresh() {
        workers.executeBlocking(this::count, false).onComplete(result -> {
            if (result.succeeded()) {
                result.result().forEach((series, count) -> counts.get(series).set(count.doubleValue()));
            } else {
                LOG.warn("counting stuck payments failed: {}", result.cause().toString());
                counts.values().forEach(value -> value.set(Double.NaN));
            }
        });
    }

    private Map<String, Long> count() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return count(connection);
        }
    }

    /** The four counts by {@link #SERIES} name. */
    static Map<String, Long> count(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            Array paid = connection.createArrayOf("text",
                    PAID.stream().map(PaymentStatus::wire).toArray());
            statement.setArray(1, paid);
            statement.setLong(2, PROCESSING_AFTER.toSeconds());
            statement.setArray(3, paid);
            statement.setLong(4, AWAITING_MAPPING_AFTER.toSeconds());
            statement.setLong(5, REVIEW_RECENT.toSeconds());
            Map<String, Long> found = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                for (int i = 0; i < SERIES.size(); i++) {
                    found.put(SERIES.get(i), rows.getLong(i + 1));
                }
            }
            return found;
        }
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
