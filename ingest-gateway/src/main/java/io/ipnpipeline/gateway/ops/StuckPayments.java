package io.ipnpipeline.gateway.ops;

import io.ipnpipeline.contracts.status.StatusWord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code gateway.payments.stuck{status_word}}: payments in processing, awaiting_mapping or needs_review
 * whose last change is older than {@link #STUCK_AFTER_SECONDS}, counted from the ledger every
 * {@link #PERIOD_MS}. It is what the "payments stuck" and "parked awaiting a mapping" alerts watch: the ledger is
 * the truth about what a customer sees, whichever service is slow. NaN until the first count, and when the
 * database does not answer, so an alert never fires on a guess.
 */
public final class StuckPayments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StuckPayments.class);
    public static final String METRIC = "gateway.payments.stuck";
    static final long STUCK_AFTER_SECONDS = 600;
    static final long PERIOD_MS = 30_000;
    static final List<StatusWord> WORDS =
            List.of(StatusWord.PROCESSING, StatusWord.AWAITING_MAPPING, StatusWord.NEEDS_REVIEW);
    /** The same predicate as the ledger's partial index payments_unsettled_idx. */
    private static final String SQL = """
            SELECT status_word, count(*) FROM payments
             WHERE status_word IN ('processing', 'awaiting_mapping', 'needs_review')
               AND updated_at < now() - make_interval(secs => ?)
             GROUP BY status_word""";

    private final Vertx vertx;
    private final DataSource dataSource;
    private final WorkerExecutor workers;
    private final Map<StatusWord, AtomicReference<Double>> counts = new EnumMap<>(StatusWord.class);
    private final long timer;

    public StuckPayments(Vertx vertx, DataSource dataSource, WorkerExecutor workers, MeterRegistry registry) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.workers = workers;
        for (StatusWord word : WORDS) {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            counts.put(word, value);
            Gauge.builder(METRIC, value, AtomicReference::get)
                    .description("payments unchanged for over " + STUCK_AFTER_SECONDS / 60 + " minutes in this status")
                    .tag("status_word", word.word())
                    .register(registry);
        }
        this.timer = vertx.setPeriodic(0, PERIOD_MS, id -> refresh());
    }

    private void refresh() {
        workers.executeBlocking(this::count, false).onComplete(result -> {
            if (result.succeeded()) {
                WORDS.forEach(word -> counts.get(word).set(result.result().getOrDefault(word, 0L).doubleValue()));
            } else {
                LOG.warn("counting stuck payments failed: {}", result.cause().toString());
                counts.values().forEach(value -> value.set(Double.NaN));
            }
        });
    }

    private Map<StatusWord, Long> count() throws SQLException {
        Map<StatusWord, Long> found = new EnumMap<>(StatusWord.class);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setLong(1, STUCK_AFTER_SECONDS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Optional<StatusWord> word = StatusWord.fromWord(rows.getString(1));
                    if (word.isPresent()) {
                        found.put(word.get(), rows.getLong(2));
                    }
                }
            }
        }
        return found;
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
