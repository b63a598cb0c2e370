package io.ipnpipeline.ops.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.db.Database;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident's recommendation 6: compare what NOWPayments says was paid with what the ledger holds, and give
 * the pipeline every finished payment it lacks or has behind, as if its IPN had arrived.
 *
 * <p>An injected record is the API's payment JSON (the same fields as an IPN), keyed by payment_id, with
 * {@code ipn.source=reconciliation}. It needs no signature: the gateway is the only place signatures are checked,
 * and this job reads from NOWPayments itself with the API key. Downstream it is an IPN like any other: if
 * NOWPayments' own IPN arrives too, the processor's dedupe and the ledger's forward-only rule make the second a
 * no-op, and commands are still issued once.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final String LEDGER = "SELECT payment_id, status, status_rank, status_word FROM payments"
            + " WHERE payment_id = ANY(?)";

    private final NowPaymentsClient client;
    private final DatabaseConfig database;
    private final Producer<String, byte[]> producer;
    private final String ipnRawTopic;
    private final Clock clock;

    public Reconciler(NowPaymentsClient client, DatabaseConfig database, Producer<String, byte[]> producer,
            String ipnRawTopic, Clock clock) {
        this.client = client;
        this.database = database;
        this.producer = producer;
        this.ipnRawTopic = ipnRawTopic;
        this.clock = clock;
    }

    public ReconcileReport run(Instant from, Instant to, boolean dryRun) {
        if (!from.isBefore(to)) {
            throw new OpsException(2, "the window is empty: --from " + from + " is not before --to " + to);
        }
        String runId = "reconcile-" + UUID.randomUUID();
        Tally tally = new Tally();
        try (Connection connection = Database.connect(database)) {
            long listed = client.listAll(from, to, page -> reconcilePage(connection, page, runId, dryRun, tally));
            ReconcileReport report = new ReconcileReport(from, to, listed, tally.finished, tally.verdicts,
                    tally.injected, tally.conflicts, tally.inReview, tally.unusable, dryRun);
            LOG.info("{} run_id={}", report.summary(), runId);
            return report;
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void reconcilePage(Connection connection, PaymentPage page, String runId, boolean dryRun, Tally tally) {
        Map<Long, ObjectNode> finished = new LinkedHashMap<>();
        for (ObjectNode payment : page.data()) {
            if (!isFinished(payment)) {
                continue;
            }
            tally.finished++;
            Optional<Long> id = IpnParser.paymentId(payment);
            if (id.isEmpty()) {
                tally.unusable++;
                LOG.warn("reconcile skipped a finished payment without a usable payment_id run_id={}", runId);
                continue;
            }
            finished.put(id.get(), payment);
        }
        if (finished.isEmpty()) {
            return;
        }
        Map<Long, Verdict.LedgerRow> ledger = ledger(connection, finished.keySet());
        List<Pending> pending = new ArrayList<>();
        for (Map.Entry<Long, ObjectNode> entry : finished.entrySet()) {
            Verdict.LedgerRow row = ledger.get(entry.getKey());
            Verdict verdict = Verdict.of(Optional.ofNullable(row));
            tally.verdicts.merge(verdict, 1L, Long::sum);
            if (verdict == Verdict.CONFLICT) {
                tally.conflicts.add(entry.getKey());
                LOG.warn("reconcile payment_id={} outcome=conflict ledger_status={}", entry.getKey(), row.status());
            } else if ((verdict == Verdict.MISSING || verdict == Verdict.BEHIND) && !dryRun) {
                pending.add(new Pending(entry.getKey(), verdict, producer.send(record(entry.getKey(), entry.getValue(),
                        runId))));
            } else if (verdict == Verdict.IN_REVIEW) {
                tally.inReview.add(entry.getKey());
                LOG.warn("reconcile payment_id={} outcome=in_review: paid and held in needs_review; release it with"
                        + " payment retry once its cause is fixed", entry.getKey());
            } else if (verdict != Verdict.IN_SYNC) {
                LOG.info("reconcile payment_id={} outcome=would_inject verdict={}", entry.getKey(), verdict);
            }
        }
        for (Pending sent : pending) {
            RecordMetadata metadata = await(sent);
            tally.injected.add(sent.paymentId);
            LOG.info("reconcile payment_id={} outcome=injected verdict={} partition={} offset={}", sent.paymentId,
                    sent.verdict, metadata.partition(), metadata.offset());
        }
    }

    private static boolean isFinished(ObjectNode payment) {
        return payment.path("payment_status").isTextual()
                && PaymentStatus.fromWire(payment.get("payment_status").textValue()).orElse(null)
                == PaymentStatus.FINISHED;
    }

    private ProducerRecord<String, byte[]> record(long paymentId, ObjectNode payment, String runId) {
        return Injection.record(ipnRawTopic, paymentId, Injection.body(payment), IpnProvenance.fromReconciliation(),
                runId, clock.instant());
    }

    private static Map<Long, Verdict.LedgerRow> ledger(Connection connection, Iterable<Long> ids) {
        List<Long> list = new ArrayList<>();
        ids.forEach(list::add);
        Map<Long, Verdict.LedgerRow> rows = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(LEDGER)) {
            Array array = connection.createArrayOf("bigint", list.toArray());
            statement.setArray(1, array);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    long id = result.getLong(1);
                    rows.put(id, new Verdict.LedgerRow(id, result.getString(2), result.getInt(3), result.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
        return rows;
    }

    private static RecordMetadata await(Pending pending) {
        try {
            return pending.future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while injecting payment " + pending.paymentId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw OpsException.unconfirmed("Kafka did not confirm the injection of payment " + pending.paymentId, e,
                    "it may or may not have been written; re-running reconcile is safe (the sink applies a status once"
                    + " and issues each command once)");
        }
    }

    private record Pending(long paymentId, Verdict verdict, Future<RecordMetadata> future) {
    }

    /** Counts of one run, filled page by page. */
    private static final class Tally {
        long finished;
        long unusable;
        final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
        final List<Long> injected = new ArrayList<>();
        final List<Long> conflicts = new ArrayList<>();
        final List<Long> inReview = new ArrayList<>();
    }
}
