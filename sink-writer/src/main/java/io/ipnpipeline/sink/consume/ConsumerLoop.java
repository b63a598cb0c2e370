package io.ipnpipeline.sink.consume;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.sink.Backoff;
import io.ipnpipeline.sink.CrashPoint;
import io.ipnpipeline.sink.SinkMetrics;
import io.ipnpipeline.sink.batch.BatchPlan;
import io.ipnpipeline.sink.db.BatchResult;
import io.ipnpipeline.sink.db.BatchWriter;
import io.ipnpipeline.sink.db.SqlFailures;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's consumer: collects {@code payments.enriched} records into batches bounded by size and time,
 * applies each batch in one PostgreSQL transaction, and commits the Kafka offsets only after the PostgreSQL
 * commit (at-least-once into PostgreSQL; the forward-only ledger makes a re-application change nothing).
 *
 * <p>When PostgreSQL fails for a reason that is not the record's, the loop pauses its partitions, keeps
 * polling (so it stays in the group) and retries the same batch with backoff: nothing is lost, nothing
 * crashes, and readiness reports false until a batch goes through again.
 */
public final class ConsumerLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final JsonSerde<EnrichedPayment> SERDE = new JsonSerde<>(EnrichedPayment.class);
    private static final long IDLE_POLL_MS = 100;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final BatchWriter writer;
    private final DeadLetters deadLetters;
    private final SinkMetrics metrics;
    private final CrashPoint crash;
    private final Runnable afterCommit;
    private final int maxRecords;
    private final long maxWaitMs;
    private final long shutdownTimeoutMs;

    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final List<ConsumerRecord<byte[], byte[]>> inFlight = new ArrayList<>();
    private final Backoff backoff = new Backoff();

    private volatile boolean running = true;
    private volatile boolean subscribed;
    private volatile boolean stalled;
    private volatile long stopDeadlineNanos;

    public ConsumerLoop(Consumer<byte[], byte[]> consumer, String topic, BatchWriter writer,
            org.apache.kafka.clients.producer.Producer<byte[], byte[]> dlqProducer, String dlqTopic,
            SinkMetrics metrics, CrashPoint crash, Runnable afterCommit, int maxRecords, long maxWaitMs,
            long shutdownTimeoutMs) {
        this.consumer = consumer;
        this.topic = topic;
        this.writer = writer;
        this.deadLetters = new DeadLetters(dlqProducer, dlqTopic);
        this.metrics = metrics;
        this.crash = crash;
        this.afterCommit = afterCommit;
        this.maxRecords = maxRecords;
        this.maxWaitMs = maxWaitMs;
        this.shutdownTimeoutMs = shutdownTimeoutMs;
    }

    /** Subscribed and applying batches (not stuck retrying a failing database). */
    public boolean isHealthy() {
        return subscribed && !stalled;
    }

    /** Asks the loop to finish the batch in hand, commit it and stop. */
    public void stop() {
        stopDeadlineNanos = System.nanoTime() + Duration.ofMillis(shutdownTimeoutMs).toNanos();
        running = false;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Listener());
            subscribed = true;
            while (running) {
                long firstArrival = collect();
                if (!inFlight.isEmpty()) {
                    process(firstArrival);
                }
            }
            LOG.info("consumer loop stopped");
        } finally {
            subscribed = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Fills {@link #inFlight} with up to maxRecords records; returns the first one's arrival (nanoTime). */
    private long collect() {
        long firstArrival = pending.isEmpty() ? -1 : System.nanoTime();
        while (pending.size() < maxRecords && running) {
            long waitMs = firstArrival < 0 ? IDLE_POLL_MS
                    : maxWaitMs - Duration.ofNanos(System.nanoTime() - firstArrival).toMillis();
            if (firstArrival >= 0 && waitMs <= 0) {
                break;
            }
            poll(waitMs);
            if (firstArrival < 0 && !pending.isEmpty()) {
                firstArrival = System.nanoTime();
            }
        }
        inFlight.clear();
        while (inFlight.size() < maxRecords && !pending.isEmpty()) {
            inFlight.add(pending.poll());
        }
        return firstArrival;
    }

    private void poll(long timeoutMs) {
        consumer.poll(Duration.ofMillis(Math.max(0, timeoutMs))).forEach(pending::add);
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            lag += consumer.currentLag(partition).orElse(0);
        }
        metrics.lag(lag);
    }

    private void process(long firstArrival) {
        metrics.consumed(inFlight.size());
        List<DeadLetter> unreadable = new ArrayList<>();
        List<Parsed> parsed = parse(inFlight, unreadable);
        Outcome outcome = applyWithRetry(parsed);
        if (outcome == null) {
            LOG.warn("stopping with {} records not applied; they are not committed and will be consumed again",
                    inFlight.size());
            return;
        }
        List<DeadLetter> dead = new ArrayList<>(unreadable);
        dead.addAll(outcome.rejected());
        sendWithRetry(dead);
        metrics.applied(outcome.result().ledgerRows(), outcome.result().subscriptionRows(),
                outcome.result().commandsInserted());
        crash.reached(CrashPoint.Step.BATCH_AFTER_DB_COMMIT);
        commitOffsets();
        crash.reached(CrashPoint.Step.BATCH_AFTER_OFFSET_COMMIT);
        if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        if (outcome.result().commandsInserted() > 0) {
            afterCommit.run();
        }
        metrics.batchLatency(Duration.ofNanos(System.nanoTime() - firstArrival));
    }

    private record Parsed(ConsumerRecord<byte[], byte[]> record, EnrichedPayment payment) {
    }

    private record Outcome(BatchResult result, List<DeadLetter> rejected) {
    }

    private static List<Parsed> parse(List<ConsumerRecord<byte[], byte[]>> records, List<DeadLetter> unreadable) {
        List<Parsed> parsed = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) {
                unreadable.add(new DeadLetter(record, "empty value"));
                continue;
            }
            try {
                parsed.add(new Parsed(record, SERDE.read(record.value())));
            } catch (org.apache.kafka.common.errors.SerializationException e) {
                unreadable.add(new DeadLetter(record, "unreadable EnrichedPayment: " + e.getMessage()));
            }
        }
        return parsed;
    }

    /** Applies until done; null if asked to stop and the shutdown timeout passed while the database failed. */
    private Outcome applyWithRetry(List<Parsed> all) {
        while (true) {
            Set<ConsumerRecord<byte[], byte[]>> live = Collections.newSetFromMap(new IdentityHashMap<>());
            live.addAll(inFlight);
            List<Parsed> parsed = all.stream().filter(p -> live.contains(p.record())).toList();
            try {
                Outcome outcome = applyOrIsolate(parsed);
                if (stalled) {
                    LOG.info("PostgreSQL writes succeed again; resuming consumption");
                    stalled = false;
                }
                backoff.reset();
                return outcome;
            } catch (SQLException e) {
                metrics.dbFailure();
                if (!running && System.nanoTime() - stopDeadlineNanos > 0) {
                    return null;
                }
                long waitMs = backoff.next();
                LOG.warn("cannot apply a batch of {} records ({}); consumption paused, retrying in {} ms",
                        parsed.size(), SqlFailures.describe(e), waitMs);
                stalled = true;
                pausedWait(waitMs);
            }
        }
    }

    private Outcome applyOrIsolate(List<Parsed> parsed) throws SQLException {
        try {
            return new Outcome(writer.apply(plan(parsed)), List.of());
        } catch (SQLException e) {
            if (!SqlFailures.isRecordsFault(e)) {
                throw e;
            }
            LOG.warn("batch of {} rejected ({}); applying record by record to find the culprit", parsed.size(),
                    SqlFailures.describe(e));
            return isolate(parsed);
        }
    }

    /** One transaction per record: the good ones are applied, the rejected ones dead-lettered. */
    private Outcome isolate(List<Parsed> parsed) throws SQLException {
        List<DeadLetter> rejected = new ArrayList<>();
        List<BatchResult> results = new ArrayList<>();
        for (Parsed one : parsed) {
            try {
                results.add(writer.apply(plan(List.of(one))));
            } catch (SQLException e) {
                if (!SqlFailures.isRecordsFault(e)) {
                    throw e;
                }
                rejected.add(new DeadLetter(one.record(), "rejected by PostgreSQL: " + SqlFailures.describe(e)));
            }
        }
        return new Outcome(merge(results), rejected);
    }

    private static BatchResult merge(List<BatchResult> results) {
        List<io.ipnpipeline.sink.db.AcceptedChange> accepted = new ArrayList<>();
        List<io.ipnpipeline.sink.db.OutboxCommand> commands = new ArrayList<>();
        int subscriptions = 0;
        int inserted = 0;
        for (BatchResult result : results) {
            accepted.addAll(result.accepted());
            commands.addAll(result.commands());
            subscriptions += result.subscriptionRows();
            inserted += result.commandsInserted();
        }
        return new BatchResult(accepted, subscriptions, commands, inserted);
    }

    private static BatchPlan plan(List<Parsed> parsed) {
        return BatchPlan.of(parsed.stream().map(Parsed::payment).toList());
    }

    /** Waits while staying in the group; records of newly assigned partitions are kept for later batches. */
    private void pausedWait(long waitMs) {
        long until = System.nanoTime() + Duration.ofMillis(waitMs).toNanos();
        do {
            consumer.pause(consumer.assignment());
            poll(Duration.ofNanos(until - System.nanoTime()).toMillis());
        } while (until - System.nanoTime() > 0);
        consumer.pause(consumer.assignment());
    }

    private void sendWithRetry(List<DeadLetter> dead) {
        while (true) {
            try {
                deadLetters.send(dead);
                metrics.deadLettered(dead.size());
                return;
            } catch (KafkaException e) {
                long waitMs = backoff.next();
                LOG.warn("cannot reach the dead-letter topic ({}); retrying in {} ms", e.getMessage(), waitMs);
                pausedWait(waitMs);
            }
        }
    }

    private void commitOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : inFlight) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            OffsetAndMetadata next = new OffsetAndMetadata(record.offset() + 1);
            offsets.merge(partition, next, (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        offsets.keySet().retainAll(consumer.assignment());
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the next owner re-applies these records; the ledger makes that a no-op
            LOG.warn("offset commit failed during a rebalance: {}", e.getMessage());
        } catch (KafkaException e) {
            LOG.warn("offset commit failed, records will be re-applied (idempotently): {}", e.getMessage());
        }
        inFlight.clear();
    }

    private final class Listener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("assigned {}", partitions);
        }

        /** Records of partitions we no longer own are the next owner's; it starts at the committed offset. */
        private void forget(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            LOG.info("revoked {}", partitions);
            pending.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
            inFlight.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
        }
    }
}
