package io.ipnpipeline.ops.payment;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.order.OrderId;
import io.ipnpipeline.contracts.order.OrderIdParser;
import io.ipnpipeline.ops.cli.OpsCommand;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.db.Database;
import io.ipnpipeline.ops.db.RowPrinter;
import io.ipnpipeline.ops.kafka.OpsKafka;
import io.ipnpipeline.ops.reconcile.NowPaymentsClient;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "payment", description = "Look up payments in PostgreSQL; send a payment held for review through the"
        + " pipeline again.")
public final class PaymentCommand {

    private static final String BY_PAYMENT_ID = "SELECT * FROM payments WHERE payment_id = ?";
    private static final String BY_ORDER = """
            SELECT * FROM payments
             WHERE (user_id = ? AND open_channel_id = ?) OR order_id = ?
             ORDER BY first_seen_at DESC, payment_id DESC""";
    private static final String SUBSCRIPTIONS = """
            SELECT u.* FROM private_channel_users_database u
             WHERE u.user_id = ?
               AND (u.private_channel_id = ?
                    OR u.private_channel_id IN (SELECT m.closed_channel_id FROM main_clients_database m
                                                 WHERE m.open_channel_id = ?))""";
    private static final String OUTBOX = """
            SELECT outbox_id, command_id, kind, created_at, payload::text AS payload
              FROM command_outbox WHERE message_key = ? ORDER BY outbox_id""";
    /**
     * Whether one command is on its command topic. The sink sets invite_issued_at / payout_issued_at when it queues
     * the outbox row, not when the publisher commits it to Kafka, so those say nothing about publication. A command
     * is published when:
     * <ul>
     *   <li>the restore guard found it in Kafka ({@code command_issued}), or</li>
     *   <li>its outbox row is at or below the position PostgreSQL last heard from a publisher
     *       ({@code command_outbox_published}; the publisher writes it only after the Kafka commit, so it never runs
     *       ahead, and a restored database carries the backup's older one, below every row written since), or</li>
     *   <li>its row is gone though the ledger says it was queued: housekeeping deletes only published rows, and the
     *       restore runbook's "issued" answer may delete it.</li>
     * </ul>
     * Otherwise it is not yet published (the publisher is stopped by its restore guard, behind, or Kafka is down).
     * The mark lags the Kafka position by at most a second under load, so "not yet" can be that much stale; it is
     * never wrong the other way.
     */
    private static final String PUBLICATION = """
            SELECT o.outbox_id, i.command_id IS NOT NULL AS recorded,
                   (SELECT max(position) FROM command_outbox_published) AS position
              FROM (SELECT 1) one
              LEFT JOIN command_outbox o ON o.command_id = ?
              LEFT JOIN command_issued i ON i.command_id = ?""";

    @Mixin
    OpsCommand ops;

    @Command(name = "show", description = {"The ledger row(s), the subscription row and the commands for a"
            + " payment id or an order id (PGP-{user_id}|{open_channel_id} or its older forms): when each command was"
            + " queued in the outbox, and whether it is published to its command topic yet."})
    int show(@Parameters(paramLabel = "<payment_id|order_id>") String id,
            @Option(names = "--raw", description = "also print the last raw IPN stored in the ledger") boolean raw) {
        PrintWriter out = ops.out();
        Set<String> skipped = raw ? Set.of() : Set.of("last_ipn");
        try (Connection connection = Database.connect(ops.config().database())) {
            List<Payment> payments = id.strip().matches("\\d{1,19}")
                    ? ledger(connection, out, skipped, BY_PAYMENT_ID, paymentId(id.strip()))
                    : ledgerByOrder(connection, out, skipped, id);
            if (payments.isEmpty()) {
                throw new OpsException(OpsException.NOT_FOUND, "no payment found for '" + id.strip() + "'");
            }
            subscriptions(connection, out, payments);
            commands(connection, out, payments);
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
        return 0;
    }

    @Command(name = "retry", description = {"Send a payment held in needs_review through the pipeline again, once"
            + " the cause is fixed (e.g. the tier price restored in main_clients_database and published).",
            "Re-sends its last IPN from the ledger to ipn.raw (ipn.source=reconciliation, which the processor's dedupe"
            + " lets through at the same status); the processor places it with the channel's current mapping, and a"
            + " finished payment gets its invite and payout through the outbox, once. Repeating it is harmless.",
            "Refused (exit 3) for a payment not in needs_review; exit 4 if there is no such payment."})
    int retry(@Parameters(paramLabel = "<payment_id>") String id,
            @Option(names = "--from-nowpayments", description = "send NOWPayments' own record of the payment (GET"
                    + " /v1/payment/<id>, needs NOWPAYMENTS_API_KEY) instead of the stored IPN: for a payment"
                    + " 'finished without a payout amount' whose amount NOWPayments has") boolean fromNowPayments,
            @Option(names = "--accept-repeated-deposit", description = "place a repeated deposit (parent_payment_id"
                    + " set) as a payment of its own: its own tier by its own price, its own invite and payout."
                    + " Only after deciding it is not a mistake to refund in NOWPayments") boolean acceptRepeatedDeposit) {
        String digits = id.strip();
        if (!digits.matches("\\d{1,19}")) {
            throw new OpsException(2, "'" + id + "' is not a payment id (digits)");
        }
        long paymentId = paymentId(digits);
        PrintWriter out = ops.out();
        ReviewRetry.Options options = new ReviewRetry.Options(
                fromNowPayments ? new NowPaymentsClient(ops.config().nowPayments()) : null, acceptRepeatedDeposit);
        try (KafkaProducer<String, byte[]> producer = OpsKafka.producer(ops.config().bootstrapServers(),
                "ipn-ops-review-retry")) {
            ReviewRetry.Sent sent = new ReviewRetry(ops.config().database(), producer, ops.config().ipnRawTopic(),
                    Clock.systemUTC()).retry(paymentId, options);
            out.printf("sent payment %d (%s, in review: %s) to %s %d/%d from the %s%s%n", sent.paymentId(),
                    sent.status(), sent.reviewReason() == null ? "no reason recorded" : sent.reviewReason(),
                    sent.metadata().topic(), sent.metadata().partition(), sent.metadata().offset(), sent.source(),
                    sent.repeatedDepositAccepted() ? ", accepted as a payment of its own (repeated deposit to payment "
                            + sent.parentPaymentId() + ")" : "");
            if (sent.parentPaymentId() != null && !sent.repeatedDepositAccepted()) {
                out.printf("it is a repeated deposit to payment %d: the processor holds it again unless you decide"
                        + " to place it with --accept-repeated-deposit (or refund it in NOWPayments)%n",
                        sent.parentPaymentId());
            }
            out.printf("the processor places it with the channel's current mapping; check with 'payment show %d'"
                    + " (still needs_review: the cause is not fixed yet, or the mapping not yet published)%n",
                    sent.paymentId());
        }
        return 0;
    }

    /** Nineteen digits can still exceed a long: a usage error, not a stack trace. */
    private static long paymentId(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new OpsException(2, "'" + digits + "' is too large for a payment id");
        }
    }

    private static List<Payment> ledgerByOrder(Connection connection, PrintWriter out, Set<String> skipped, String raw)
            throws SQLException {
        if (!(OrderIdParser.parse(raw) instanceof OrderIdParser.Parsed parsed)) {
            throw new OpsException(2, "'" + raw + "' is neither a payment id (digits) nor an order id"
                    + " (PGP-{user_id}|{open_channel_id})");
        }
        OrderId order = parsed.orderId();
        return ledger(connection, out, skipped, BY_ORDER, order.userId(), order.openChannelId(), raw.strip());
    }

    private static List<Payment> ledger(Connection connection, PrintWriter out, Set<String> skipped, String sql,
            Object... parameters) throws SQLException {
        List<Payment> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                RowPrinter.print(out, "ledger (payments)", rows, skipped, row -> found.add(new Payment(
                        row.getLong("payment_id"), (Long) row.getObject("user_id"),
                        (Long) row.getObject("open_channel_id"), (Long) row.getObject("private_channel_id"),
                        instant(row, "invite_issued_at"), instant(row, "payout_issued_at"))));
            }
        }
        return found;
    }

    private static void subscriptions(Connection connection, PrintWriter out, List<Payment> payments)
            throws SQLException {
        Set<Payment> pairs = new LinkedHashSet<>();
        for (Payment payment : payments) {
            if (payment.userId() != null) {
                pairs.add(new Payment(0, payment.userId(), payment.openChannelId(), payment.privateChannelId(), null, null));
            }
        }
        if (pairs.isEmpty()) {
            out.println("subscription (private_channel_users_database): unknown (the order id could not be parsed)");
        }
        for (Payment pair : pairs) {
            try (PreparedStatement statement = connection.prepareStatement(SUBSCRIPTIONS)) {
                statement.setLong(1, pair.userId());
                statement.setObject(2, pair.privateChannelId());
                statement.setObject(3, pair.openChannelId());
                try (ResultSet rows = statement.executeQuery()) {
                    RowPrinter.print(out, "subscription (private_channel_users_database)", rows, Set.of());
                }
            }
        }
    }

    private static void commands(Connection connection, PrintWriter out, List<Payment> payments) throws SQLException {
        boolean outbox = Database.tableExists(connection, "command_outbox");
        boolean guard = Database.tableExists(connection, "command_outbox_published")
                && Database.tableExists(connection, "command_issued");
        for (Payment payment : payments) {
            out.printf("commands for payment %d: invite %s; payout %s%n", payment.paymentId(),
                    command(connection, guard, CommandIds.invite(payment.paymentId()), payment.inviteIssuedAt()),
                    command(connection, guard, CommandIds.payout(payment.paymentId()), payment.payoutIssuedAt()));
            if (!outbox) {
                continue;
            }
            try (PreparedStatement statement = connection.prepareStatement(OUTBOX)) {
                statement.setString(1, Long.toString(payment.paymentId()));
                try (ResultSet rows = statement.executeQuery()) {
                    RowPrinter.print(out, "  outbox (command_outbox)", rows, Set.of());
                }
            }
        }
        if (!outbox) {
            out.println("outbox: no command_outbox table in this schema");
        }
    }

    /** "not queued", or "queued at T, " and whether it is on its command topic ({@link #PUBLICATION}). */
    private static String command(Connection connection, boolean guard, String commandId, String queuedAt)
            throws SQLException {
        if (queuedAt == null) {
            return "not queued";
        }
        String queued = "queued at " + queuedAt + ", ";
        if (!guard) {
            return queued + "publication unknown (no command_outbox_published table: migrate to V6)";
        }
        try (PreparedStatement statement = connection.prepareStatement(PUBLICATION)) {
            statement.setString(1, commandId);
            statement.setString(2, commandId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                Long outboxId = (Long) row.getObject("outbox_id");
                Long position = (Long) row.getObject("position");
                if (row.getBoolean("recorded")) {
                    return queued + "published (" + commandId + " found on the command topic by the restore guard)";
                }
                if (outboxId == null) {
                    return queued + "published (its outbox row is gone: removed after publishing, or decided"
                            + " issued after a restore)";
                }
                if (position != null && outboxId <= position) {
                    return queued + "published (outbox_id " + outboxId + " at or below the publisher's position "
                            + position + ")";
                }
                return queued + "not yet published (outbox_id " + outboxId + " above the publisher's position "
                        + (position == null ? "(none recorded)" : position)
                        + ": the publisher is stopped, behind, or Kafka is down)";
            }
        }
    }

    private static String instant(ResultSet row, String column) throws SQLException {
        java.sql.Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant().toString();
    }

    /** What the later sections need of a ledger row. */
    record Payment(long paymentId, Long userId, Long openChannelId, Long privateChannelId, String inviteIssuedAt,
            String payoutIssuedAt) {
    }
}
