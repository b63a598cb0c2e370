package io.ipnpipeline.ops.stuck;

import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.ops.cli.Durations;
import io.ipnpipeline.ops.cli.OpsCommand;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.db.Database;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stuck", description = {"By default the payments the paging alerts count: paid (NOWPayments past"
        + " waiting; not expired, failed or refunded) and in processing unchanged for 30 minutes, or parked"
        + " awaiting_mapping for 10 minutes.",
        "--older-than sets one age for both; --include-waiting adds unpaid (waiting) ones; --needs-review adds"
        + " payments in review.", "Exit code 0 either way; the count is on the first line."})
public final class StuckCommand implements Callable<Integer> {

    /**
     * The gateway's thresholds for {@code gateway_payments_stuck} (ingest-gateway's StuckPayments; a test checks
     * they are equal), so the default list is what IpnPaymentsStuck and IpnPaymentsAwaitingMapping count.
     */
    public static final Duration PROCESSING_AFTER = Duration.ofMinutes(30);
    public static final Duration AWAITING_MAPPING_AFTER = Duration.ofMinutes(10);
    /**
     * The gateway's {@code StuckPayments.PAID} (a test checks they are equal): the statuses that mean money arrived.
     * A payment is parked at any status, so a removed channel's abandoned invoices sit in awaiting_mapping at
     * expired or failed; they are not listed, as the alert does not count them.
     */
    public static final Set<PaymentStatus> PAID = EnumSet.of(PaymentStatus.CONFIRMING, PaymentStatus.CONFIRMED,
            PaymentStatus.SENDING, PaymentStatus.PARTIALLY_PAID, PaymentStatus.FINISHED);

    /**
     * The gateway's rule, with switches: the status_word predicate is the ledger's partial index
     * {@code payments_unsettled_idx}; {@code status} is NOWPayments' word, so {@code status = ANY(PAID)} means paid.
     */
    static final String SQL = """
            SELECT payment_id, order_id, status, status_word, review_reason, first_seen_at, updated_at,
                   now() - updated_at AS age
              FROM payments
             WHERE status_word IN ('processing', 'awaiting_mapping', 'needs_review')
               AND ((status_word = 'processing' AND updated_at < now() - make_interval(secs => ?))
                 OR (status_word = 'awaiting_mapping' AND updated_at < now() - make_interval(secs => ?))
                 OR (? AND status_word = 'needs_review' AND updated_at < now() - make_interval(secs => ?)))
               AND (status = ANY(?) OR (? AND status = 'waiting') OR status_word = 'needs_review')
             ORDER BY updated_at
             LIMIT ?""";

    @Mixin
    OpsCommand ops;

    @Option(names = "--older-than", converter = Durations.class, paramLabel = "<duration>",
            description = "one age for every status, e.g. 10m, 2h, 1d (default: the alerts' 30m for processing,"
                    + " 10m for awaiting_mapping, any age for needs_review)")
    Duration olderThan;

    @Option(names = "--include-waiting", description = "also payments NOWPayments still has at waiting (not paid yet;"
            + " an abandoned invoice stays there for days)")
    boolean includeWaiting;

    @Option(names = "--needs-review", description = "also payments in needs_review (they wait for a human)")
    boolean needsReview;

    @Option(names = "--limit", defaultValue = "200", description = "at most this many rows (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = ops.out();
        try (Connection connection = Database.connect(ops.config().database());
                PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setDouble(1, seconds(olderThan == null ? PROCESSING_AFTER : olderThan));
            statement.setDouble(2, seconds(olderThan == null ? AWAITING_MAPPING_AFTER : olderThan));
            statement.setBoolean(3, needsReview);
            statement.setDouble(4, seconds(olderThan == null ? Duration.ZERO : olderThan));
            statement.setArray(5, connection.createArrayOf("text", PAID.stream().map(PaymentStatus::wire).toArray()));
            statement.setBoolean(6, includeWaiting);
            statement.setInt(7, limit);
            StringBuilder lines = new StringBuilder();
            int count = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    count++;
                    lines.append(String.format(Locale.ROOT, "%-20d %-16s %-10s %-17s updated_at=%s age=%s%s%n",
                            rows.getLong("payment_id"), rows.getString("status_word"), rows.getString("status"),
                            String.valueOf(rows.getString("order_id")),
                            rows.getTimestamp("updated_at").toInstant(), rows.getString("age"),
                            rows.getString("review_reason") == null ? "" : " reason=" + rows.getString("review_reason")));
                }
            }
            out.printf("%d stuck payment(s) %s%s%n", count, describe(),
                    count == limit ? " (limit reached; raise --limit)" : "");
            out.print(lines);
            // print does not auto-flush: without this the rows sat in the buffer and were lost at exit
            out.flush();
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
        return 0;
    }

    private String describe() {
        String ages = olderThan == null
                ? "(the alerts' rule: processing older than " + PROCESSING_AFTER + ", awaiting_mapping older than "
                        + AWAITING_MAPPING_AFTER + ")"
                : "older than " + olderThan;
        return ages + (includeWaiting ? ", waiting included" : ", paid only")
                + (needsReview ? ", needs_review included" : "");
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
