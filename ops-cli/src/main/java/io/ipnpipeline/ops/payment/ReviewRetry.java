package io.ipnpipeline.ops.payment;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.db.Database;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

    /** What was sent: the payment's status and review reason, and where the record went. */
    public record Sent(long paymentId, String status, String reviewReason, RecordMetadata metadata) {
    }

    public Sent retry(long paymentId) {
        Held held = held(paymentId);
        String requestId = "review-retry-" + UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        IpnProvenance.fromReconciliation().forEach((name, value) -> headers.add(name, utf8(value)));
        headers.add(HeaderNames.IPN_RECEIVED_AT, utf8(IsoInstants.format(clock.instant())));
        headers.add(HeaderNames.IPN_REQUEST_ID, utf8(requestId));
        RecordMetadata metadata = send(new ProducerRecord<>(ipnRawTopic, null, Long.toString(paymentId), held.body,
                headers), paymentId);
        LOG.info("payment_id={} status={} outcome=review_retry_sent request_id={} partition={} offset={}", paymentId,
                held.status, requestId, metadata.partition(), metadata.offset());
        return new Sent(paymentId, held.status, held.reason, metadata);
    }

    private record Held(String status, String reason, byte[] body) {
    }

    /** The row must exist and be in review, and its stored IPN must be one the processor can read. */
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
                byte[] body = row.getString(4).getBytes(StandardCharsets.UTF_8);
                if (!(IpnParser.parse(body) instanceof IpnParser.Parsed parsed) || !matches(parsed.ipn(), paymentId,
                        status)) {
                    throw new OpsException(OpsException.REFUSED, "payment " + paymentId + ": the stored last_ipn is"
                            + " not a usable IPN of this payment at status " + status + ": nothing sent");
                }
                return new Held(status, row.getString(3), body);
            }
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static boolean matches(Ipn ipn, long paymentId, String status) {
        return ipn.paymentId() == paymentId && ipn.status().wire().equals(status);
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record, long paymentId) {
        try {
            return producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while sending payment " + paymentId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new OpsException("Kafka did not confirm payment " + paymentId + ": "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
