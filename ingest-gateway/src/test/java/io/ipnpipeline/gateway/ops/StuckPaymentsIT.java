package io.ipnpipeline.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.testsupport.TestSchema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gauges the paging alerts watch, counted from a real ledger: a payment is stuck only once the customer has
 * paid (past waiting) and nothing moved for the threshold; review rows have their own gauges, and only recent
 * ones count as news.
 */
class StuckPaymentsIT {

    private static final AtomicLong IDS = new AtomicLong(7_100_000_000L);
    private static TestSchema schema;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("gateway-stuck");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        schema.close();
    }

    @Test
    @SuppressWarnings("try") // the gauges only have to run for the block; closing them is the point
    void countsOnlyPaidPaymentsPastTheirThresholdAndReviewRowsApart() throws Exception {
        Instant now = Instant.now();
        // an abandoned invoice: NOWPayments keeps it waiting for days; a customer who never paid waits on nothing
        row("waiting", "processing", now.minus(Duration.ofDays(2)));
        row("confirming", "processing", now.minus(Duration.ofMinutes(40)));
        // a normal chain confirmation, still inside the half hour
        row("confirming", "processing", now.minus(Duration.ofMinutes(20)));
        row("sending", "processing", now.minus(Duration.ofMinutes(31)));
        row("waiting", "awaiting_mapping", now.minus(Duration.ofHours(3)));
        row("finished", "awaiting_mapping", now.minus(Duration.ofMinutes(11)));
        row("finished", "awaiting_mapping", now.minus(Duration.ofMinutes(5)));
        // found by review: abandoned invoices of a channel that has no mapping are parked at their final status
        // too; nothing arrived, nobody waits, and counting them paged for ever
        row("expired", "awaiting_mapping", now.minus(Duration.ofHours(3)));
        row("failed", "awaiting_mapping", now.minus(Duration.ofHours(3)));
        // one old review row nobody handled must not hide the new one, nor be news forever
        row("finished", "needs_review", now.minus(Duration.ofDays(3)));
        row("confirming", "needs_review", now.minus(Duration.ofMinutes(5)));
        row("finished", "confirmed", now.minus(Duration.ofDays(1)));

        MeterRegistry registry = new SimpleMeterRegistry();
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("stuck-it", 1);
        try (StuckPayments ignored = new StuckPayments(vertx, schema.dataSource(), workers, registry)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !Double.isNaN(stuck(registry, "processing")));
            assertThat(stuck(registry, "processing")).isEqualTo(2);
            assertThat(stuck(registry, "awaiting_mapping")).isEqualTo(1);
            assertThat(registry.get(StuckPayments.REVIEW_METRIC).gauge().value()).isEqualTo(2);
            assertThat(registry.get(StuckPayments.REVIEW_RECENT_METRIC).gauge().value()).isEqualTo(1);
            assertThat(registry.find(StuckPayments.METRIC).tag("status_word", "needs_review").gauge())
                    .as("review rows are not 'stuck': they page nobody").isNull();
        } finally {
            workers.close().await();
        }
    }

    private static double stuck(MeterRegistry registry, String word) {
        return registry.get(StuckPayments.METRIC).tag("status_word", word).gauge().value();
    }

    private static void row(String status, String word, Instant updated) throws SQLException {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO payments (payment_id, status,"
                        + " status_rank, status_word, last_ipn, first_seen_at, updated_at)"
                        + " VALUES (?, ?, 10, ?, '{}'::jsonb, ?, ?)")) {
            statement.setLong(1, IDS.incrementAndGet());
            statement.setString(2, status);
            statement.setString(3, word);
            statement.setTimestamp(4, Timestamp.from(updated));
            statement.setTimestamp(5, Timestamp.from(updated));
            statement.executeUpdate();
        }
    }
}
