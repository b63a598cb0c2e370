package io.ipnpipeline.gateway.status;

import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.status.OrderStatusRule;
import io.ipnpipeline.contracts.status.StatusWord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what PostgreSQL knows about an order: the payment the order shows by {@link OrderStatusRule} (the same
 * rule the sink writes into the subscription row, so an abandoned or expired invoice never hides a paid one), and
 * the subscription row the bot writes ({@code 'pending'} when it creates an invoice) in
 * {@code private_channel_users_database}, joined to the open channel through
 * {@code main_clients_database.closed_channel_id}.
 *
 * <p>Of the two, the more recently updated one wins (the ledger on a tie). The order id is the same for every
 * payment of a user for a channel, so after a renewal invoice the bot's fresh {@code pending} row is newer than
 * last month's finished payment and must win; once the new payment's IPN is applied, the ledger is newer again.
 * The sink moves the row's updated_at only when the row changes, so a change that leaves the order's word as it
 * was never makes the row look newer. Blocking JDBC: call it from a worker thread, never from an event loop.
 */
public final class PaymentStatusRepository {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentStatusRepository.class);

    /** Only the word and a timestamp are selected: nothing else of a guessable order may leave the database. */
    private static final String SQL = "SELECT word, updated_at, source FROM (\n"
            + "    SELECT status_word AS word, updated_at, 0 AS source FROM ("
            + OrderStatusRule.shownPayment("?", "?") + ") AS shown) AS ledger\n"
            + "UNION ALL\n"
            + "SELECT u.payment_status, u.updated_at, 1\n"
            + "  FROM private_channel_users_database u\n"
            + "  JOIN main_clients_database m ON m.closed_channel_id = u.private_channel_id\n"
            + " WHERE u.user_id = ? AND m.open_channel_id = ?";

    private final DataSource dataSource;

    public PaymentStatusRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What is known of the order, or empty when nothing is (the answer is then {@code pending}). */
    public Optional<Known> find(OrderId orderId) throws SQLException {
        List<Known> found = new ArrayList<>(2);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setLong(1, orderId.userId());
            statement.setLong(2, orderId.openChannelId());
            statement.setLong(3, orderId.userId());
            statement.setLong(4, orderId.openChannelId());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    toKnown(rows.getString(1), rows.getTimestamp(2), rows.getInt(3)).ifPresent(found::add);
                }
            }
        }
        // a row without updated_at (a bot's table before adoption made it NOT NULL) is older than any dated one
        return found.stream().max(Comparator.comparing(Known::updatedAt, Comparator.nullsFirst(Comparator
                .<Instant>naturalOrder())).thenComparing(Known::fromLedger));
    }

    private static Optional<Known> toKnown(String word, Timestamp updatedAt, int source) {
        Optional<StatusWord> status = StatusWord.fromWord(word);
        if (status.isEmpty()) {
            // a word outside the contract is a writer's bug: say so loudly, and let the other row answer
            LOG.warn("status row with unknown word '{}' in {} ignored", word, source == 0 ? "payments"
                    : "private_channel_users_database");
            return Optional.empty();
        }
        return Optional.of(new Known(status.get(), updatedAt == null ? null : updatedAt.toInstant(), source == 0));
    }

    /**
     * One row's answer; {@code fromLedger} breaks a tie in favour of the payments ledger. {@code updatedAt} is null
     * when the row has none.
     */
    public record Known(StatusWord word, Instant updatedAt, boolean fromLedger) {
    }
}
