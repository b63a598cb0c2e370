package io.ipnpipeline.reliability.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.reliability.model.ExpectedState;
import io.ipnpipeline.reliability.model.ExpectedState.PaymentRow;
import io.ipnpipeline.reliability.model.ExpectedState.SubscriptionKey;
import io.ipnpipeline.reliability.model.ExpectedState.SubscriptionRow;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads what the pipeline produced (PostgreSQL, ipn.dlq, commands.* as a read_committed consumer sees them) and
 * holds it against an {@link ExpectedState}:
 * <ul>
 *   <li>every acknowledged IPN is applied, parked, in review or in the DLQ (the ledger has exactly the expected
 *       payments, each at its expected status, word and rank; the DLQ has every dead-lettered payment);</li>
 *   <li>exactly one invite and one payout per finished placed payment, and none for anything else;</li>
 *   <li>the subscriptions match: newest payment's word and tier, active flag, and expires_at extended by the
 *       days of every finished payment.</li>
 * </ul>
 */
public final class PipelineAudit {

    private final DataSource database;
    private final String bootstrap;
    private final TopicNames topics;
    private final Instant startedAt;

    /** An actual subscription row. */
    public record ActualSubscription(String paymentStatus, Integer subTime, boolean active, Instant expiresAt) {
    }

    public PipelineAudit(DataSource database, String bootstrap, TopicNames topics, Instant startedAt) {
        this.database = database;
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.startedAt = startedAt;
    }

    /** Waits until everything matches (the pipeline is eventually consistent), then checks once more. */
    public void awaitMatches(ExpectedState expected, Duration timeout, Supplier<Throwable> fatal)
            throws SQLException {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(fatal.get()).as("a service died").isNull();
            assertMatches(expected);
        });
        assertMatches(expected);
    }

    public void assertMatches(ExpectedState expected) throws SQLException {
        assertThat(payments()).as("payments ledger vs the model of the acknowledged IPNs")
                .containsExactlyInAnyOrderEntriesOf(expected.payments());
        assertThat(deadLetteredKeys()).as("ipn.dlq").containsAll(expected.deadLettered());
        assertSubscriptions(expected.subscriptions());
        assertExactlyOneCommandEach(expected.commanded());
    }

    /** Exactly one invite and one payout per payment in {@code paymentIds}, and no other command. */
    public void assertExactlyOneCommandEach(Set<Long> paymentIds) {
        assertThat(inviteIds()).as("commands.invite (read_committed)")
                .containsExactlyInAnyOrderElementsOf(paymentIds.stream().map(CommandIds::invite).toList());
        assertThat(payoutIds()).as("commands.payout (read_committed)")
                .containsExactlyInAnyOrderElementsOf(paymentIds.stream().map(CommandIds::payout).toList());
    }

    private void assertSubscriptions(Map<SubscriptionKey, SubscriptionRow> expected) throws SQLException {
        Map<SubscriptionKey, ActualSubscription> actual = subscriptions();
        assertThat(actual.keySet()).as("subscription rows").containsExactlyInAnyOrderElementsOf(expected.keySet());
        Instant now = Instant.now();
        expected.forEach((key, row) -> {
            ActualSubscription got = actual.get(key);
            assertThat(got.paymentStatus()).as("payment_status of %s", key).isIn(row.possibleStatuses());
            assertThat(got.subTime()).as("sub_time of %s", key).isEqualTo(row.subTime());
            assertThat(got.active()).as("is_active of %s", key).isEqualTo(row.active());
            if (row.totalDays() > 0) {
                Duration bought = Duration.ofDays(row.totalDays());
                assertThat(got.expiresAt()).as("expires_at of %s (%d days bought)", key, row.totalDays())
                        .isBetween(startedAt.plus(bought), now.plus(bought));
            } else {
                assertThat(got.expiresAt()).as("expires_at of %s", key).isNull();
            }
        });
    }

    public Map<Long, PaymentRow> payments() throws SQLException {
        Map<Long, PaymentRow> rows = new TreeMap<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT payment_id, status, status_word, status_rank FROM payments")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), new PaymentRow(rs.getString(2), rs.getString(3), rs.getInt(4)));
            }
        }
        return rows;
    }

    public Map<SubscriptionKey, ActualSubscription> subscriptions() throws SQLException {
        Map<SubscriptionKey, ActualSubscription> rows = new TreeMap<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT user_id, private_channel_id, payment_status, sub_time,"
                        + " is_active, expires_at FROM private_channel_users_database")) {
            while (rs.next()) {
                OffsetDateTime expires = rs.getObject(6, OffsetDateTime.class);
                rows.put(new SubscriptionKey(rs.getLong(1), rs.getLong(2)), new ActualSubscription(rs.getString(3),
                        rs.getObject(4, Integer.class), rs.getBoolean(5), expires == null ? null : expires.toInstant()));
            }
        }
        return rows;
    }

    public Set<Long> deadLetteredKeys() {
        return TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.IPN_DLQ)).stream()
                .map(ConsumerRecord::key).filter(key -> key != null && key.matches("\\d+")).map(Long::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Keys the sink dead-lettered (records PostgreSQL refused, e.g. a NUL character in a text field). */
    public Set<Long> sinkDeadLetteredKeys() {
        return TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.SINK_DLQ)).stream()
                .map(ConsumerRecord::key).filter(key -> key != null && key.matches("\\d+")).map(Long::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public List<ConsumerRecord<String, byte[]>> deadLetters() {
        return TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.IPN_DLQ));
    }

    public List<String> inviteIds() {
        List<ConsumerRecord<String, InviteCommand>> records =
                TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.COMMANDS_INVITE));
        records.forEach(record -> assertThat(header(record)).isEqualTo(record.value().commandId()));
        return records.stream().map(record -> record.value().commandId()).toList();
    }

    public List<String> payoutIds() {
        List<ConsumerRecord<String, PayoutCommand>> records =
                TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.COMMANDS_PAYOUT));
        records.forEach(record -> assertThat(header(record)).isEqualTo(record.value().commandId()));
        return records.stream().map(record -> record.value().commandId()).toList();
    }

    private static String header(ConsumerRecord<String, ?> record) {
        return new String(record.headers().lastHeader(CommandIds.HEADER).value(), StandardCharsets.UTF_8);
    }

    /** One line for the log and the soak report. */
    public String summary() throws SQLException {
        Map<String, Long> words = payments().values().stream()
                .collect(Collectors.groupingBy(PaymentRow::statusWord, TreeMap::new, Collectors.counting()));
        return "ledger=" + words + " dlq=" + deadLetters().size() + " invites=" + inviteIds().size() + " payouts="
                + payoutIds().size();
    }
}
