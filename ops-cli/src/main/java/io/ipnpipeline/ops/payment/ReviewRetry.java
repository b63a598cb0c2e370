package io.ipnpipeline.ops.payment;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.db.Database;
import io.ipnpipeline.ops.reconcile.Injection;
import io.ipnpipeline.ops.reconcile.NowPaymentsClient;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a payment held in {@code needs_review} through the pipeline again, once its cause is fixed (usually a tier
 * price the owner changed while the invoice was open). Nothing else can: reconciliation finds a finished review
 * row in sync, NOWPayments' retries and replays are dropped by the processor's dedupe as repeats, and the payment
 * never reached a dead-letter topic.
 *
 * <p>The record is the payment's last accepted IPN as the ledger stores it ({@code last_ipn}), keyed by payment_id,
 * marked {@code ipn.source=reconciliation}: the one mark the processor both trusts without a signature (the body
 * was verified, or fetched from NOWPayments' API, when it first arrived) and lets through its dedupe at the status
 * it already recorded ({@link IpnProvenance#retriedOnPurpose}). The request id {@code review-retry-...} tells it
 * apart in the logs. The processor places it with the channel's current mapping; the sink moves the row from
 * review to placed at the same status (status_rank x1 to x2), and a first finish issues the invite and the payout
 * through the outbox, once: the ledger's forward rule makes any repeat of the retry a no-op.
 *
 * <p>Two causes no mapping change can fix have their own exits. {@link Options#fromNowPayments}: the record sent is
 * NOWPayments' own, read from its API ({@code GET /v1/payment/{id}}, reconciliation's client), instead of the stored
 * one; for a finished payment held because its IPN lacked the payout amount that the API has. Its status must be
 * the ledger's or later, or the processor would drop it. {@link Options#acceptRepeatedDeposit}: the operator
 * decides a repeated deposit (parent_payment_id set) is a payment of its own; the record also carries
 * {@code ipn.accept_repeated_deposit=<payment_id>}, which the processor honours only on a reconciliation record.
 */
public final class ReviewRetry {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewRetry.class);
    private static final String ROW = "SELECT status, status_word, review_reason, last_ipn::text FROM payments"
            + " WHERE payment_id = ?";

    private final DatabaseConfig database;
    private final Producer<String, byte[]> producer;
    private final String ipnRawTopic;
    private final Clock clock;

    public ReviewRetry(DatabaseConfig database, Producer<String, byte[]> producer, String ipnRawTopic, Clock clock) {
        this.database = database;
        this.producer = producer;
        this.ipnRawTopic = ipnRawTopic;
        this.clock = clock;
    }

    /**
     * Where the record comes from and what it decides.
     *
     * @param fromNowPayments NOWPayments' API record instead of the ledger's {@code last_ipn}; null for the ledger's
     * @param acceptRepeatedDeposit place a repeated deposit as a payment of its own
     */
    public record Options(NowPaymentsClient fromNowPayments, boolean acceptRepeatedDeposit) {
        public static final Options STORED_IPN = new Options(null, false);
    }

    /**
     * What was sent: the payment's status and review reason, where the record came from, its parent when it is a
     * repeated deposit, whether it was accepted as one, and where the record went.
     */
    public record Sent(long paymentId, String status, String reviewReason, String source, Long parentPaymentId,
            boolean repeatedDepositAccepted, RecordMetadata metadata) {
    }

    public Sent retry(long paymentId) {
        return retry(paymentId, Options.STORED_IPN);
    }

    public Sent retry(long paymentId, Options options) {
        Held held = held(paymentId);
        Ipn ipn;
        byte[] body;
        String source;
        if (options.fromNowPayments() == null) {
            body = held.lastIpn.getBytes(StandardCharsets.UTF_8);
            ipn = usable(body, paymentId)
                    .filter(parsed -> parsed.status().wire().equals(held.status))
                    .orElseThrow(() -> refused(paymentId, "the stored last_ipn is not a usable IPN of this payment at"
                            + " status " + held.status));
            source = "ledger last_ipn";
        } else {
            body = Injection.body(options.fromNowPayments().payment(paymentId));
            ipn = usable(body, paymentId).orElseThrow(() -> refused(paymentId,
                    "NOWPayments' record is not a usable IPN of this payment"));
            requireNotBehind(ipn, held, paymentId);
            source = "NOWPayments API";
        }
        if (options.acceptRepeatedDeposit() && ipn.parentPaymentId() == null) {
            throw refused(paymentId, "it is not a repeated deposit (no parent_payment_id), so there is nothing to"
                    + " accept");
        }
        String requestId = "review-retry-" + UUID.randomUUID();
        Map<String, String> provenance = options.acceptRepeatedDeposit()
                ? IpnProvenance.acceptingRepeatedDeposit(paymentId) : IpnProvenance.fromReconciliation();
        RecordMetadata metadata = send(Injection.record(ipnRawTopic, paymentId, body, provenance, requestId,
                clock.instant()), paymentId);
        LOG.info("payment_id={} status={} outcome=review_retry_sent source=\"{}\" accept_repeated_deposit={}"
                + " request_id={} partition={} offset={}", paymentId, ipn.status().wire(), source,
                options.acceptRepeatedDeposit(), requestId, metadata.partition(), metadata.offset());
        return new Sent(paymentId, ipn.status().wire(), held.reason, source, ipn.parentPaymentId(),
                options.acceptRepeatedDeposit(), metadata);
    }

    private record Held(String status, String reason, String lastIpn) {
    }

    /** The row must exist and be in review: checked before anything is read from NOWPayments or sent. */
    private Held held(long paymentId) {
        try (Connection connection = Database.connect(database);
                PreparedStatement statement = connection.prepareStatement(ROW)) {
            statement.setLong(1, paymentId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new OpsException(OpsException.NOT_FOUND, "no payment " + paymentId + " in the ledger");
                }
                String status = row.getString(1);
                String word = row.getString(2);
                if (!StatusWord.NEEDS_REVIEW.word().equals(word)) {
                    throw new OpsException(OpsException.REFUSED, "payment " + paymentId + " is not in review (it is "
                            + status + "/" + word + "): nothing sent. Only a payment held in needs_review is retried;"
                            + " see 'payment show " + paymentId + "'");
                }
                return new Held(status, row.getString(3), row.getString(4));
            }
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static Optional<Ipn> usable(byte[] body, long paymentId) {
        return IpnParser.parse(body) instanceof IpnParser.Parsed parsed && parsed.ipn().paymentId() == paymentId
                ? Optional.of(parsed.ipn()) : Optional.empty();
    }

    /** The processor drops a status behind the one it recorded: such a record would change nothing. */
    private static void requireNotBehind(Ipn ipn, Held held, long paymentId) {
        Optional<PaymentStatus> ledger = PaymentStatus.fromWire(held.status);
        if (ledger.isPresent() && ledger.get() != ipn.status() && !ledger.get().canAdvanceTo(ipn.status())) {
            throw refused(paymentId, "NOWPayments says " + ipn.status().wire() + ", which cannot follow the ledger's "
                    + held.status);
        }
    }

    private static OpsException refused(long paymentId, String why) {
        return new OpsException(OpsException.REFUSED, "payment " + paymentId + ": " + why + ": nothing sent");
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record, long paymentId) {
        try {
            return producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while sending payment " + paymentId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw OpsException.unconfirmed("Kafka did not confirm payment " + paymentId, e, "it may or may not have"
                    + " been written; re-running the retry is safe (it issues nothing twice; once the payment has left"
                    + " needs_review it is refused)");
        }
    }
}
