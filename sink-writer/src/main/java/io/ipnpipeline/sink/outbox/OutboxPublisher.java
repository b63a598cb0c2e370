package io.ipnpipeline.sink.outbox;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.Backoff;
import io.ipnpipeline.sink.CrashPoint;
import io.ipnpipeline.sink.SinkMetrics;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.sink.db.OutboxCommand;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code command_outbox} rows to {@code commands.invite} / {@code commands.payout}, exactly once for
 * read_committed consumers. Each round is ONE Kafka transaction holding the commands for outbox ids
 * (position, last] AND a record of {@code last} on the outbox position topic. A crash before the commit
 * aborts both (the next incarnation's {@code initTransactions()} fences and aborts it, then republishes the
 * same rows); a crash after the commit is recovered by reading the position back from Kafka. The position and
 * the commands can never disagree, because they are one atomic write.
 *
 * <p>The transactional.id is fixed per deployment, so a second publisher with the same id (a zombie, or a
 * restarted process) fences the first. Every failure drops the producer and starts over from the position in
 * Kafka; nothing is trusted from memory after an error.
 *
 * <p>Every sink instance may run a publisher: the one holding the {@link PublisherLease} publishes, the others
 * stand by and retry the lease every {@link #STANDBY_RETRY}, so one takes over soon after the leader's
 * PostgreSQL session ends.
 *
 * <p>Before publishing, a new leader compares the position in Kafka with what PostgreSQL last heard of it; if
 * Kafka is ahead (a database restored from a backup, or a crash of the previous leader), the {@link RestoreGuard}
 * makes sure no command already in Kafka is published again and no new one hides below the position. If Kafka is
 * behind the mark (the position topic was changed, emptied or lost with the broker's data), it never publishes from
 * Kafka's position: see {@link RestoreGuard#positionLost}.
 */
public final class OutboxPublisher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final long HOUSEKEEPING_EVERY_NANOS = Duration.ofMinutes(1).toNanos();
    /** Under load the mark is written at most this often; a lagging mark only costs a guard run after a crash. */
    private static final long MARK_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    /** The backlog gauge is refreshed at most this often: one index probe, but not one per batch. */
    private static final long BACKLOG_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    static final Duration STANDBY_RETRY = Duration.ofSeconds(2);

    /**
     * The join is against {@code command_issued}, empty unless the restore guard ran: on the normal path it costs
     * a probe of an empty index, and nothing at all on the sink's insert path.
     */
    static final String READ_SQL = "SELECT o.outbox_id, o.command_id, o.kind, o.message_key, o.payload::text, "
            + "i.command_id IS NOT NULL FROM command_outbox o LEFT JOIN command_issued i ON i.command_id = o.command_id "
            + "WHERE o.outbox_id > ? ORDER BY o.outbox_id LIMIT ?";
    static final String SEQUENCE_SQL = "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
            + "FROM command_outbox_outbox_id_seq";
    /**
     * Rows below the first one still inside the retention window are all older than it (by that row's
     * definition), so the DELETE walks the primary key over exactly the rows it removes: no created_at index.
     */
    static final String HOUSEKEEPING_SQL = "DELETE FROM command_outbox WHERE outbox_id <= ? AND outbox_id < "
            + "coalesce((SELECT min(outbox_id) FROM command_outbox "
            + "WHERE created_at >= now() - make_interval(hours => ?)), 9223372036854775807)";
    /**
     * Outbox ids above the mark: exact in "is anything committed and not yet in Kafka" (0 iff nothing is), cheap
     * (the primary key's last entry and one row), and computable from PostgreSQL alone, so also while the
     * publisher refuses to publish and Kafka's position is not to be trusted. Gaps of rolled-back ids count.
     */
    static final String BACKLOG_SQL = "SELECT greatest(0, coalesce((SELECT max(outbox_id) FROM command_outbox), 0) "
            + "- coalesce((SELECT position FROM command_outbox_published WHERE publisher = ?), 0))";

    private final PublisherLease lease;
    private final String name;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Supplier<Consumer<String, String>> positionReaders;
    private final Function<List<String>, Map<String, String>> topicIds;
    private final PositionStore positions;
    private final RestoreGuard guard;
    private final String inviteTopic;
    private final String payoutTopic;
    private final int batchSize;
    private final long pollMs;
    private final int retentionHours;
    private final SinkMetrics metrics;
    private final CrashPoint crash;
    private final Semaphore work = new Semaphore(0);
    private final Backoff backoff = new Backoff();

    private volatile boolean running = true;
    private volatile boolean healthy;
    private Producer<String, byte[]> producer;
    private long position;
    private long lastHousekeeping = System.nanoTime();
    private long marked = -1;
    /**
     * Per command topic partition, where anything published after {@link #position} will lie: the offset after
     * this incarnation's last record there (its transaction's commit marker takes that offset, so later records
     * come after it), or the partition's end when this incarnation started. Written with the mark, so a guard run
     * after a crash reads only what came after. Null if unknown (then the mark is written without offsets).
     */
    private Map<TopicPartition, Long> commandEnds;
    /** The command topics' IDs when this incarnation started, written with {@link #commandEnds}. */
    private Map<String, String> commandTopicIds = Map.of();
    private long lastMark = System.nanoTime();
    private long lastBacklog = System.nanoTime() - BACKLOG_EVERY_NANOS;
    private boolean standingBy;

    /**
     * {@code name} is the transactional id: the key of the lease and of the position. {@code topicIds} gives each
     * named topic's Kafka topic ID (as text), or fails with a {@link KafkaException}.
     */
    public OutboxPublisher(DatabaseConfig database, Supplier<Producer<String, byte[]>> producers,
            Supplier<Consumer<String, String>> positionReaders, Function<List<String>, Map<String, String>> topicIds,
            TopicNames topics, String name, int batchSize, long pollMs, int retentionHours, SinkMetrics metrics,
            CrashPoint crash) {
        this.lease = new PublisherLease(database, name, "sink-writer-publisher");
        this.name = name;
        this.producers = producers;
        this.positionReaders = positionReaders;
        this.topicIds = topicIds;
        this.positions = new PositionStore(topics.name(Topics.OUTBOX_POSITION), name);
        this.inviteTopic = topics.name(Topics.COMMANDS_INVITE);
        this.payoutTopic = topics.name(Topics.COMMANDS_PAYOUT);
        this.guard = new RestoreGuard(name, inviteTopic, payoutTopic);
        this.batchSize = batchSize;
        this.pollMs = pollMs;
        this.retentionHours = retentionHours;
        this.metrics = metrics;
        this.crash = crash;
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** This instance holds the lease and publishes (the others stand by). */
    public boolean isLeader() {
        return lease.held();
    }

    /** New outbox rows were committed: publish now rather than at the next poll. */
    public void wake() {
        work.release();
    }

    public void stop() {
        running = false;
        work.release();
    }

    @Override
    public void run() {
        boolean clean = false;
        try {
            while (running) {
                round();
            }
            clean = true;
            markOnStop();
            LOG.info("outbox publisher stopped at position {}", position);
        } finally {
            // a clean stop closes gracefully; after a crash an open transaction is left for the next
            // incarnation's initTransactions() to abort, as after a real process death
            closeProducer(clean ? Duration.ofSeconds(5) : Duration.ZERO);
            releaseLease();
        }
    }

    private void round() {
        try {
            if (producer == null) {
                if (!lead()) {
                    standBy();
                    return;
                }
                open();
            }
            boolean published = publishOnce();
            refreshBacklog();
            if (!published) {
                work.tryAcquire(pollMs, TimeUnit.MILLISECONDS);
                work.drainPermits();
            }
            backoff.reset();
        } catch (SQLException e) {
            // the lease's session may be gone, and with it the lock: another instance may lead now
            releaseLease();
            failed("PostgreSQL: " + e.getMessage(), true);
        } catch (KafkaException e) {
            failed("Kafka: " + e, true);
        } catch (UnsafePositionException e) {
            LOG.error(e.getMessage());
            failed(e.summary(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void failed(String reason, boolean dropProducer) {
        healthy = false;
        // counted for the alert: every refusal and error ends here, and a publisher that stops is otherwise silent
        metrics.publisherFailure();
        refreshBacklogAfterFailure();
        if (dropProducer) {
            closeProducer(Duration.ZERO);
        }
        long waitMs = backoff.next();
        LOG.warn("outbox publisher failed ({}); retrying in {} ms", reason, waitMs);
        try {
            work.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** True once this instance holds the lease. */
    private boolean lead() throws SQLException {
        if (lease.held()) {
            return true;
        }
        if (!lease.tryAcquire()) {
            return false;
        }
        standingBy = false;
        metrics.publisherLeader(true);
        LOG.info("this instance holds the publisher lease for {} and publishes the commands", name);
        return true;
    }

    /** Another instance publishes; wake-ups for new commands are ignored, only the retry time or stop counts. */
    private void standBy() throws InterruptedException {
        if (!standingBy) {
            standingBy = true;
            LOG.info("standing by: another sink instance holds the publisher lease for {}", name);
        }
        healthy = true;
        long until = System.nanoTime() + STANDBY_RETRY.toNanos();
        for (long left = STANDBY_RETRY.toNanos(); running && left > 0; left = until - System.nanoTime()) {
            work.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
    }

    /** The leader's view of the backlog, at most once a second; a standby reports 0 (see {@link #releaseLease}). */
    private void refreshBacklog() throws SQLException {
        if (System.nanoTime() - lastBacklog < BACKLOG_EVERY_NANOS) {
            return;
        }
        try (PreparedStatement statement = lease.connection().prepareStatement(BACKLOG_SQL)) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                metrics.unpublished(rs.getLong(1));
            }
        }
        lastBacklog = System.nanoTime();
    }

    /**
     * While refusing, the backlog is what shows customers waiting. Without the lease (its session failed) there is
     * nothing to ask with; {@link #releaseLease} has set it to 0 and the failure counter speaks instead.
     */
    private void refreshBacklogAfterFailure() {
        if (!lease.held()) {
            return;
        }
        try {
            refreshBacklog();
        } catch (SQLException e) {
            LOG.debug("cannot count the unpublished outbox rows: {}", e.getMessage());
        }
    }

    private void releaseLease() {
        if (lease.held()) {
            metrics.publisherLeader(false);
            metrics.unpublished(0);
            LOG.info("publisher lease for {} released", name);
        }
        lease.close();
    }

    private void open() throws SQLException, UnsafePositionException {
        producer = producers.get();
        producer.initTransactions();
        PositionStore.Positions read;
        try (Consumer<String, String> reader = positionReaders.get()) {
            read = positions.read(reader);
        }
        position = read.own();
        if (position == 0 && read.others().values().stream().anyMatch(other -> other > 0)) {
            throw UnsafePositionException.anotherPublisher(name, read.others());
        }
        long allocated = allocatedOutboxIds();
        Optional<RestoreGuard.Mark> mark = RestoreGuard.mark(lease.connection(), name);
        // before the command topics are read: a topic recreated in between only makes the guard judge it recreated
        commandTopicIds = Map.copyOf(topicIds.apply(List.of(inviteTopic, payoutTopic)));
        if (mark.isPresent() && mark.get().position() > position) {
            try (Consumer<String, String> reader = positionReaders.get()) {
                position = guard.positionLost(lease.connection(), reader, position, mark.get(),
                        positions.topic(), commandTopicIds);
            }
            // Kafka holds the position again, so the next start neither reads the command topics back nor refuses
            producer.beginTransaction();
            producer.send(positions.record(position));
            producer.commitTransaction();
        } else if (RestoreGuard.needed(position, allocated, RestoreGuard.Mark.position(mark))) {
            try (Consumer<String, String> reader = positionReaders.get()) {
                guard.run(lease.connection(), reader, position, allocated, mark, commandTopicIds);
            }
        }
        try (Consumer<String, String> reader = positionReaders.get()) {
            commandEnds = commandEnds(reader);
        }
        marked = position;
        LOG.info("outbox publisher at position {}", position);
        healthy = true;
    }

    /**
     * The command topics' ends now, read_committed: after {@code initTransactions()} nothing of ours is open, and
     * every command this incarnation publishes is appended after them. (An end held back by someone else's open
     * transaction is lower still, which only makes a later read longer.)
     */
    private Map<TopicPartition, Long> commandEnds(Consumer<String, String> reader) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(inviteTopic, payoutTopic)) {
            for (PartitionInfo info : reader.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return new HashMap<>(reader.endOffsets(partitions));
    }

    /**
     * Publishes the next rows in one Kafka transaction; false if there were none. Rows already issued before a
     * restore are passed over, but the position still moves past them, so they are read once.
     */
    private boolean publishOnce() throws SQLException, InterruptedException {
        List<OutboxRow> rows = read();
        if (rows.isEmpty()) {
            healthy = true;
            mark(true);
            housekeep();
            return false;
        }
        long last = rows.get(rows.size() - 1).outboxId();
        List<OutboxRow> fresh = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            if (row.issued()) {
                LOG.warn("payment_id={} {} command not published: {} was issued before the database was restored",
                        row.key(), row.kind().word(), row.commandId());
                metrics.alreadyIssued();
            } else {
                fresh.add(row);
            }
        }
        producer.beginTransaction();
        List<Future<RecordMetadata>> sent = new ArrayList<>(fresh.size());
        for (OutboxRow row : fresh) {
            sent.add(producer.send(toRecord(row)));
        }
        producer.send(positions.record(last));
        crash.reached(CrashPoint.Step.PUBLISH_BEFORE_KAFKA_COMMIT);
        producer.commitTransaction();
        crash.reached(CrashPoint.Step.PUBLISH_AFTER_KAFKA_COMMIT);
        position = last;
        advanceCommandEnds(sent);
        healthy = true;
        log(fresh);
        mark(false);
        return true;
    }

    /** The commit succeeded, so every send did and its metadata is there without waiting. */
    private void advanceCommandEnds(List<Future<RecordMetadata>> sent) throws InterruptedException {
        if (commandEnds == null) {
            return;
        }
        try {
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get();
                // the latest, not the highest: a recreated topic starts again at 0, and its end then shows it
                commandEnds.put(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1);
            }
        } catch (ExecutionException e) {
            LOG.warn("no offset for a command committed to Kafka ({}); until the next start the mark is written "
                    + "without offsets, so a guard run reads the command topics from their beginning", e.getCause());
            commandEnds = null;
        }
    }

    /**
     * Tells PostgreSQL the position, after Kafka has it (so the mark never runs ahead): when idle, or at most once
     * a second under load. The restore guard compares the two at the next start.
     */
    private void mark(boolean idle) throws SQLException {
        if (marked == position || (!idle && System.nanoTime() - lastMark < MARK_EVERY_NANOS)) {
            return;
        }
        RestoreGuard.saveMark(lease.connection(), name, position, commandEnds, commandTopicIds);
        marked = position;
        lastMark = System.nanoTime();
    }

    /** A clean stop leaves the mark at the position, so the next start has no reason to run the guard. */
    private void markOnStop() {
        if (producer == null || !lease.held()) {
            return;
        }
        try {
            mark(true);
        } catch (SQLException e) {
            LOG.warn("cannot record the position {} in PostgreSQL at stop ({}); the next start reads the command "
                    + "topics back to check", position, e.getMessage());
        }
    }

    /** One line per payment (its invite and payout are adjacent in the outbox), not one per command. */
    private void log(List<OutboxRow> rows) {
        int i = 0;
        while (i < rows.size()) {
            OutboxRow first = rows.get(i);
            metrics.issued(first.kind() == OutboxCommand.Kind.INVITE);
            OutboxRow next = i + 1 < rows.size() ? rows.get(i + 1) : null;
            if (next != null && next.key().equals(first.key())) {
                metrics.issued(next.kind() == OutboxCommand.Kind.INVITE);
                LOG.info("payment_id={} {} and {} commands committed to Kafka", first.key(), first.kind().word(),
                        next.kind().word());
                i += 2;
            } else {
                LOG.info("payment_id={} {} command committed to Kafka", first.key(), first.kind().word());
                i++;
            }
        }
    }

    private ProducerRecord<String, byte[]> toRecord(OutboxRow row) {
        String topic = row.kind() == OutboxCommand.Kind.INVITE ? inviteTopic : payoutTopic;
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, row.key(), row.payload().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CommandIds.HEADER, row.commandId().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private List<OutboxRow> read() throws SQLException {
        try (PreparedStatement statement = lease.connection().prepareStatement(READ_SQL)) {
            statement.setLong(1, position);
            statement.setInt(2, batchSize);
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getLong(1), rs.getString(2), OutboxCommand.Kind.fromWord(rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getBoolean(6)));
                }
            }
            return rows;
        }
    }

    private long allocatedOutboxIds() throws SQLException {
        try (PreparedStatement statement = lease.connection().prepareStatement(SEQUENCE_SQL);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Deletes rows old enough and already covered by the committed position; never anything not yet in Kafka. */
    private void housekeep() throws SQLException {
        if (retentionHours <= 0 || System.nanoTime() - lastHousekeeping < HOUSEKEEPING_EVERY_NANOS) {
            return;
        }
        lastHousekeeping = System.nanoTime();
        try (PreparedStatement statement = lease.connection().prepareStatement(HOUSEKEEPING_SQL)) {
            statement.setLong(1, position);
            statement.setInt(2, retentionHours);
            int deleted = statement.executeUpdate();
            if (deleted > 0) {
                LOG.info("housekeeping: deleted {} published outbox rows older than {} h", deleted, retentionHours);
            }
        }
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (KafkaException e) {
                LOG.warn("closing the command producer: {}", e.toString());
            }
            producer = null;
        }
    }

    /** Publishing from the position found would skip or repeat commands; it stops until an operator acts. */
    static final class UnsafePositionException extends Exception {
        private static final long serialVersionUID = 1L;

        private final String summary;

        private UnsafePositionException(String summary, String message) {
            super(message);
            this.summary = summary;
        }

        /**
         * Nothing was ever published under this transactional id, but under another one it was: the id was changed.
         * Starting from 0 would issue every command still in the outbox again, and paying a client twice is money
         * lost; the two ids would not fence each other either.
         */
        static UnsafePositionException anotherPublisher(String name, Map<String, Long> others) {
            return new UnsafePositionException("position recorded under another transactional id",
                    "the outbox position topic has no position for " + SinkConfig.TRANSACTIONAL_ID + "=" + name
                    + " but has one for " + others + ": publishing from 0 would issue every retained command again."
                    + " Publishing stops until " + SinkConfig.TRANSACTIONAL_ID + " is set back to the id that"
                    + " published (every sink instance of a deployment shares one id).");
        }

        /**
         * The restore guard cannot tell whether rows below the position were issued, or, with the position topic
         * behind the mark, whether rows above the mark were: see {@link RestoreGuard}.
         */
        static UnsafePositionException unsure(String summary, String message) {
            return new UnsafePositionException(summary, message);
        }

        String summary() {
            return summary;
        }
    }
}
