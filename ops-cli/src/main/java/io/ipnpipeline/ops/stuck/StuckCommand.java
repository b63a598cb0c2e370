package io.ipnpipeline.ops.stuck;

import io.ipnpipeline.contracts.status.StatusWord;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stuck", description = {"Payments in processing, awaiting_mapping or needs_review whose last change"
        + " is older than --older-than: the ones a customer may be waiting on.",
        "Exit code 0 either way; the count is on the first line."})
public final class StuckCommand implements Callable<Integer> {

    /** Uses the ledger's partial index {@code payments_unsettled_idx} (same predicate). */
    static final String SQL = """
            SELECT payment_id, order_id, status, status_word, review_reason, first_seen_at, updated_at,
                   now() - updated_at AS age
              FROM payments
             WHERE status_word IN (?, ?, ?)
               AND updated_at < now() - make_interval(secs => ?)
             ORDER BY updated_at
             LIMIT ?""";

    @Mixin
    OpsCommand ops;

    @Option(names = "--older-than", defaultValue = "10m", converter = Durations.class, paramLabel = "<duration>",
            description = "e.g. 10m, 2h, 1d (default: ${DEFAULT-VALUE})")
    Duration olderThan;

    @Option(names = "--limit", defaultValue = "200", description = "at most this many rows (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = ops.out();
        try (Connection connection = Database.connect(ops.config().database());
                PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, StatusWord.PROCESSING.word());
            statement.setString(2, StatusWord.AWAITING_MAPPING.word());
            statement.setString(3, StatusWord.NEEDS_REVIEW.word());
            statement.setDouble(4, olderThan.toMillis() / 1000.0);
            statement.setInt(5, limit);
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
            out.printf("%d stuck payment(s) older than %s%s%n", count, olderThan,
                    count == limit ? " (limit reached; raise --limit)" : "");
            out.print(lines);
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
        return 0;
    }
}
