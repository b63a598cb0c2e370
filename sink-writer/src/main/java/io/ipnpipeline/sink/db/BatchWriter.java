package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.sink.batch.BatchPlan;
import io.ipnpipeline.sink.batch.PlannedRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one batch plan in ONE PostgreSQL transaction: a lock per order it touches ({@link OrderLocks}), the
 * ledger (COPY into the session's staging table, then one statement per wave, usually one), then the subscriptions
 * (COPY and one statement), then the commands of every first finish into the outbox (COPY and one statement).
 * Either all of it commits or none of it does, which is what lets the outbox carry the exactly-once promise
 * forward to Kafka.
 */
public final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final DataSource dataSource;
    private final TransactionLimits limits;

    public BatchWriter(DataSource dataSource) {
        this(dataSource, TransactionLimits.DEFAULT);
    }

    public BatchWriter(DataSource dataSource, TransactionLimits limits) {
        this.dataSource = dataSource;
        this.limits = limits;
    }

    public BatchResult apply(BatchPlan plan) throws SQLException {
        if (plan.isEmpty()) {
            return BatchResult.EMPTY;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                BatchResult result = applyIn(connection, plan, limits);
                connection.commit();
                log(result);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    private static BatchResult applyIn(Connection connection, BatchPlan plan, TransactionLimits limits)
            throws SQLException {
        List<AcceptedChange> accepted = new ArrayList<>();
        Set<Long> finished = new HashSet<>();
        OrderLocks.lock(connection, plan.waves());
        // bounds every later wait (a row the bot holds, a slow statement); only sink batches take the order locks,
        // and each of those is bounded by these limits, so the wait above is bounded too. The time of change is
        // read after the locks, not taken from now() (the transaction's start): a batch locking many orders may
        // start before, and wait behind, one that commits a later change of the same order first; only a clock
        // read once the order's lock is ours is later than every change it waited for, so the ledger's and the
        // subscription's updated_at (OrderStatusRule's "changed last") follow the order of the commits.
        OffsetDateTime changedAt = limits.applyTo(connection);
        Stage.ensure(connection);
        LedgerStatement.stage(connection, plan.waves());
        for (int w = 0; w < plan.waves().size(); w++) {
            for (AcceptedChange change : LedgerStatement.upsert(connection, w, plan.waves().get(w), changedAt)) {
                // a later wave of the same transaction sees our own finished_xact again: count the first only
                boolean first = change.finishedNow() && finished.add(change.row().paymentId());
                accepted.add(new AcceptedChange(change.row(), first));
            }
        }
        List<SubscriptionChange> subscriptions = SubscriptionChange.from(accepted);
        Map<SubscriptionChange.Key, Instant> expiries = SubscriptionStatement.upsert(connection, subscriptions,
                changedAt);
        List<OutboxCommand> commands = new ArrayList<>();
        for (AcceptedChange change : accepted) {
            if (change.finishedNow()) {
                EnrichedPayment done = change.row().finishing();
                Instant expiresAt = expiries.get(new SubscriptionChange.Key(done.userId(), done.privateChannelId()));
                commands.add(OutboxCommand.invite(done, expiresAt));
                commands.add(OutboxCommand.payout(done));
            }
        }
        int inserted = OutboxStatement.insert(connection, commands);
        return new BatchResult(accepted, subscriptions.size(), commands, inserted);
    }

    private static void log(BatchResult result) {
        for (AcceptedChange change : result.accepted()) {
            EnrichedPayment latest = change.row().latest();
            LOG.info("payment_id={} applied status={} word={}{}", latest.paymentId(), latest.status().wire(),
                    latest.statusWord().word(), change.finishedNow() ? ", first finish: invite and payout queued" : "");
        }
        if (result.commandsInserted() != result.commands().size()) {
            // the ledger guard and the outbox's unique command_id disagree: worth an operator's look
            LOG.warn("{} of {} commands were already in the outbox", result.commands().size()
                    - result.commandsInserted(), result.commands().size());
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
