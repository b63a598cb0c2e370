package io.ipnpipeline.sink.consume;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.payment.EnrichedPaymentSerde;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
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
    private static final long IDLE_POLL_MS = 100;
    /** While the database thread works: poll briefly, so its batch is committed soon after it is done. */
    private static final long BUSY_POLL_MS = 5;
    /**
     * Waiting for the database thread, the consumer polls (every partition paused) this often: a long batch or a
     * record-by-record isolation (~5 ms a record, minutes on a remote database) must not outlast
     * max.poll.interval.ms, or the group drops this member, the batch is done again and its bad records are
     * dead-lettered again.
     */
    private static final long KEEP_ALIVE_MS = 250;
    /** How often the lag gauge asks the broker for end and committed offsets (two small requests). */
    private static final long LAG_REFRESH_MS = 5_000;
    private static final Duration LAG_QUERY_TIMEOUT = Duration.ofSeconds(2);

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
    private final Backoff deadLetterBackoff = new Backoff();
    /** Applies one batch while this thread collects and decodes the next. */
    private final ExecutorService database = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sink-writer-database");
        thread.setDaemon(true);
        return thread;
    });
    /** With the database thread, or failed and being retried; until its outcome is taken up. */
    private Batch inProgress;
    /** Decoded while the database applied the batch before, not yet handed to it. */
    private Batch decoded;
    /** Applied, its dead letters and offsets being written. */
    private Batch acknowledging;
    private long lagRefreshedNanos;
    private boolean lagMeasured;

    private volatile boolean running = true;
    private volatile boolean subscribed;
    private volatile boolean stalled;
    private volatile boolean deadLetterStalled;
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

    /** Subscribed and applying batches (not stuck retrying a failing database or dead-letter topic). */
    public boolean isHealthy() {
        return subscribed && !stalled && !deadLetterStalled;
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
                    decoded = decode(firstArrival);
                    Applied previous = awaitApplied();
                    Batch next = decoded;
                    decoded = null;
                    if (previous == null || previous.outcome() != null) {
                        // the database starts on the next batch while this thread commits the previous one's offsets
                        submit(next);
                    }
                    acknowledge(previous);
                } else if (inProgress != null && inProgress.future.isDone()) {
                    acknowledge(awaitApplied());
                }
            }
            acknowledge(awaitApplied());
            LOG.info("consumer loop stopped");
        } finally {
            subscribed = false;
            database.shutdownNow();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Fills {@link #inFlight} with up to maxRecords records; returns the first one's arrival (nanoTime). */
    private long collect() {
        long firstArrival = pending.isEmpty() ? -1 : System.nanoTime();
        while (pending.size() < maxRecords && running) {
            boolean writing = inProgress != null;
            if (firstArrival < 0 && writing && inProgress.future.isDone()) {
                break; // nothing new: go and finish the batch the database has applied
            }
            long waitMs = firstArrival < 0 ? (writing ? BUSY_POLL_MS : IDLE_POLL_MS)
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
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(Math.max(0, timeoutMs)))) {
            // a header's value is a view into the whole fetched batch until read: copying the few bytes now
            // lets that buffer go, instead of it living as long as the record waits in a batch
            record.headers().forEach(Header::value);
            pending.add(record);
        }
        refreshLag();
    }

    /**
     * The lag gauge: log end minus committed offset, summed over the assigned partitions. Measured from the fetch
     * position instead, records fetched but stuck behind a database wait would count as consumed, and the lag
     * alert would stay quiet through exactly the stall it is there for.
     */
    private void refreshLag() {
        long now = System.nanoTime();
        if (lagMeasured && now - lagRefreshedNanos < Duration.ofMillis(LAG_REFRESH_MS).toNanos()) {
            return;
        }
        lagMeasured = true;
        lagRefreshedNanos = now;
        Set<TopicPartition> owned = consumer.assignment();
        try {
            metrics.lag(owned.isEmpty() ? 0 : uncommitted(owned));
        } catch (KafkaException e) {
            // the gauge keeps its last value; the broker being unreachable shows in other ways
            LOG.debug("cannot measure the consumer lag now: {}", e.getMessage());
        }
    }

    private long uncommitted(Set<TopicPartition> owned) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(owned, LAG_QUERY_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned, LAG_QUERY_TIMEOUT);
        List<TopicPartition> neverCommitted = owned.stream().filter(p -> committed.get(p) == null).toList();
        Map<TopicPartition, Long> starts = neverCommitted.isEmpty() ? Map.of()
                : consumer.beginningOffsets(neverCommitted, LAG_QUERY_TIMEOUT);
        boolean idle = pending.isEmpty() && inFlight.isEmpty() && inProgress == null && decoded == null
                && acknowledging == null;
        long lag = 0;
        for (TopicPartition partition : owned) {
            Long end = ends.get(partition);
            if (end == null) {
                continue;
            }
            OffsetAndMetadata done = committed.get(partition);
            long from = done != null ? done.offset() : starts.getOrDefault(partition, end);
            if (idle) {
                // a transactional producer's commit marker ends the log one past the last record committed here
                from = Math.max(from, localPosition(partition, from));
            }
            lag += Math.max(0, end - from);
        }
        return lag;
    }

    /** The fetch position if the consumer knows it without asking the broker, else {@code fallback}. */
    private long localPosition(TopicPartition partition, long fallback) {
        try {
            return consumer.position(partition, Duration.ZERO);
        } catch (KafkaException e) {
            return fallback;
        }
    }

    /** Decodes the collected records (while the database applies the previous batch). */
    private Batch decode(long firstArrival) {
        metrics.consumed(inFlight.size());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(inFlight);
        inFlight.clear();
        List<DeadLetter> unreadable = new ArrayList<>();
        List<Parsed> parsed = parse(records, unreadable);
        return new Batch(records, parsed, plan(parsed), unreadable, firstArrival);
    }

    /**
     * Hands the batch's records still owned to the database thread; its outcome is taken up by
     * {@link #awaitApplied()}.
     */
    private void submit(Batch batch) {
        Set<ConsumerRecord<byte[], byte[]>> live = live(batch);
        List<Parsed> parsed = batch.parsed.stream().filter(p -> live.contains(p.record())).toList();
        BatchPlan plan = parsed.size() == batch.parsed.size() ? batch.plan : plan(parsed);
        batch.future = database.submit(() -> apply(parsed, plan));
        inProgress = batch;
    }

    /** A batch the database is done with; {@code outcome} null if it was given up at shutdown. */
    private record Applied(Batch batch, Outcome outcome) {
    }

    /**
     * Waits for the batch in progress to be committed in PostgreSQL (null if there is none). A database failure
     * that is not the records' is retried here, on the consumer thread, with the partitions paused, so the next
     * batch never reaches the database before this one: the ledger would reject its older statuses.
     */
    private Applied awaitApplied() {
        Batch batch = inProgress;
        if (batch == null) {
            return null;
        }
        // inProgress stays set while we wait: a rebalance in the keep-alive polls must see the batch (forget)
        Object result = await(batch);
        Outcome outcome;
        if (result instanceof SQLException failure) {
            outcome = waitAfterFailure(failure, batch.records.size()) ? applyWithRetry(batch) : null;
        } else {
            outcome = (Outcome) result;
        }
        inProgress = null;
        if (outcome != null && stalled) {
            LOG.info("PostgreSQL writes succeed again; resuming consumption");
            stalled = false;
        }
        return new Applied(batch, outcome);
    }

    /** Dead-letters the rejects of a batch committed in PostgreSQL, then commits its offsets. */
    private void acknowledge(Applied applied) {
        if (applied == null) {
            return;
        }
        Batch batch = applied.batch();
        Outcome outcome = applied.outcome();
        if (outcome == null) {
            LOG.warn("stopping with {} records not applied; they are not committed and will be consumed again",
                    batch.records.size());
            return;
        }
        acknowledging = batch;
        try {
            Set<ConsumerRecord<byte[], byte[]>> live = live(batch);
            List<DeadLetter> dead = new ArrayList<>(batch.unreadable);
            dead.addAll(outcome.rejected());
            dead.removeIf(letter -> !live.contains(letter.record()));
            metrics.applied(outcome.result().ledgerRows(), outcome.result().subscriptionRows(),
                    outcome.result().commandsInserted());
            if (!sendWithRetry(batch, dead)) {
                LOG.warn("stopping with {} dead letters not written; their batch is not committed and will be "
                        + "consumed again", dead.size());
                return;
            }
            crash.reached(CrashPoint.Step.BATCH_AFTER_DB_COMMIT);
            commitOffsets(batch.records);
            crash.reached(CrashPoint.Step.BATCH_AFTER_OFFSET_COMMIT);
        } finally {
            acknowledging = null;
        }
        if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        metrics.batchLatency(Duration.ofNanos(System.nanoTime() - batch.firstArrival));
    }

    /**
     * The batch's outcome, or the SQLException if the database failed for a reason that is not the records'.
     * Polls with every partition paused while it waits, so the group keeps this member however long it takes.
     */
    private Object await(Batch batch) {
        while (true) {
            try {
                return batch.future.get(KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                keepAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while PostgreSQL applied a batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException failure) {
                    return failure;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("applying a batch failed", e.getCause());
            }
        }
    }

    /**
     * One poll that returns nothing of ours: paused partitions keep their fetched records for later. It keeps the
     * member in the group and runs the rebalance callbacks; a newly assigned partition's records, if any, wait in
     * {@link #pending} for a later batch. {@link #acknowledge} resumes the partitions.
     */
    private void keepAlive() {
        consumer.pause(consumer.assignment());
        poll(0);
        consumer.pause(consumer.assignment());
    }

    /** Waits for the database thread to finish with the batch, whatever the outcome (for a rebalance). */
    private static void settle(Batch batch) {
        try {
            batch.future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("the batch in progress failed; its records are left to retry", e.getCause());
        }
    }

    private static Set<ConsumerRecord<byte[], byte[]>> live(Batch batch) {
        Set<ConsumerRecord<byte[], byte[]>> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(batch.records);
        return live;
    }

    /**
     * A batch from collection to offset commit. {@code records} shrinks if a rebalance takes partitions away;
     * {@code future} is set when it goes to the database thread. Touched by the consumer thread only (the
     * database thread reads {@code parsed}, which is never changed).
     */
    private static final class Batch {
        final List<ConsumerRecord<byte[], byte[]>> records;
        final List<Parsed> parsed;
        /** Planned on this thread while the database applies the batch before. */
        final BatchPlan plan;
        final List<DeadLetter> unreadable;
        final long firstArrival;
        Future<Outcome> future;

        Batch(List<ConsumerRecord<byte[], byte[]>> records, List<Parsed> parsed, BatchPlan plan,
                List<DeadLetter> unreadable, long firstArrival) {
            this.records = records;
            this.parsed = List.copyOf(parsed);
            this.plan = plan;
            this.unreadable = unreadable;
            this.firstArrival = firstArrival;
        }
    }

    private record Parsed(ConsumerRecord<byte[], byte[]> record, EnrichedPayment payment) {
    }

    private record Outcome(BatchResult result, List<DeadLetter> rejected) {
    }

    /** Decodes on every core the database thread leaves free; unreadable records become dead letters. */
    private static List<Parsed> parse(List<ConsumerRecord<byte[], byte[]>> records, List<DeadLetter> unreadable) {
        Object[] decoded = IntStream.range(0, records.size()).parallel()
                .mapToObj(i -> decode(records.get(i))).toArray();
        List<Parsed> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] instanceof EnrichedPayment payment) {
                parsed.add(new Parsed(records.get(i), payment));
            } else {
                unreadable.add(new DeadLetter(records.get(i), (String) decoded[i]));
            }
        }
        return parsed;
    }

    /** The payment, or why there is none. */
    private static Object decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return "empty value";
        }
        try {
            EnrichedPayment payment = EnrichedPaymentSerde.read(record.value());
            return payment != null ? payment : "unreadable EnrichedPayment: the value is JSON null";
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            return "unreadable EnrichedPayment: " + e.getMessage();
        }
    }

    /** Counts and logs a database failure, pauses and waits; false if asked to stop and out of time. */
    private boolean waitAfterFailure(SQLException failure, int records) {
        metrics.dbFailure();
        if (!running && System.nanoTime() - stopDeadlineNanos > 0) {
            return false;
        }
        long waitMs = backoff.next();
        LOG.warn("cannot apply a batch of {} records ({}); consumption paused, retrying in {} ms",
                records, SqlFailures.describe(failure), waitMs);
        stalled = true;
        pausedWait(waitMs);
        return true;
    }

    /**
     * Applies until done, on the database thread while this one keeps the member alive; null if asked to stop
     * and the shutdown timeout passed while the database failed.
     */
    private Outcome applyWithRetry(Batch batch) {
        while (true) {
            submit(batch);
            Object result = await(batch);
            if (result instanceof Outcome outcome) {
                backoff.reset();
                return outcome;
            }
            if (!waitAfterFailure((SQLException) result, batch.records.size())) {
                return null;
            }
        }
    }

    /** Applies in PostgreSQL, then wakes the publisher if there are new commands. */
    private Outcome apply(List<Parsed> parsed, BatchPlan plan) throws SQLException {
        Outcome outcome = applyOrIsolate(parsed, plan);
        if (outcome.result().commandsInserted() > 0) {
            afterCommit.run(); // the outbox rows are committed: the publisher need not wait for our offsets
        }
        return outcome;
    }

    private Outcome applyOrIsolate(List<Parsed> parsed, BatchPlan plan) throws SQLException {
        try {
            return new Outcome(writer.apply(plan), List.of());
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

    /**
     * Writes the dead letters, retrying those not acknowledged until they are: dropping one would lose the record,
     * as its offset is committed next. While it retries the service is unready and {@code
     * sink_dead_letter_failures} counts; false if asked to stop and the shutdown timeout passed.
     *
     * <p>A rebalance in the wait between attempts may take a letter's partition away ({@link Listener#forget}
     * drops its records from the batch): that letter is then the next owner's to write. This member has not
     * committed an offset past it (the batch's offsets are committed only after its letters), so the next owner
     * starts at or before the record, applies it again and dead-letters it itself; writing it here too would make
     * two letters for one record (a doubled alert, a redrive applying it twice).
     */
    private boolean sendWithRetry(Batch batch, List<DeadLetter> dead) {
        List<DeadLetter> unsent = dead;
        while (!unsent.isEmpty()) {
            DeadLetters.Result result = deadLetters.send(unsent);
            metrics.deadLettered(unsent.size() - result.unsent().size());
            if (result.unsent().isEmpty()) {
                break;
            }
            metrics.deadLetterFailure();
            deadLetterStalled = true;
            if (!running && System.nanoTime() - stopDeadlineNanos > 0) {
                return false;
            }
            long waitMs = deadLetterBackoff.next();
            if (result.failure() instanceof RetriableException) {
                LOG.warn("cannot write {} records to the dead-letter topic ({}); consumption paused, retrying in {} ms",
                        result.unsent().size(), result.failure().toString(), waitMs);
            } else {
                // will not pass by itself (authorization, record too large, invalid topic): an operator must act
                LOG.error("the dead-letter topic refuses {} records ({}); consumption paused until it accepts them,"
                        + " retrying in {} ms", result.unsent().size(), result.failure().toString(), waitMs);
            }
            pausedWait(waitMs);
            unsent = stillOwned(batch, result.unsent());
        }
        if (deadLetterStalled) {
            LOG.info("no dead letter left to write; resuming consumption");
            deadLetterStalled = false;
        }
        deadLetterBackoff.reset();
        return true;
    }

    /**
     * The letters whose records are still the batch's, i.e. whose partitions no rebalance took away. Judged by the
     * batch, not by {@code consumer.assignment()}: an eager rebalance may hand a partition straight back, and its
     * fetch then restarts at the committed offset too, so this member meets the record again in a later batch.
     */
    private static List<DeadLetter> stillOwned(Batch batch, List<DeadLetter> letters) {
        Set<ConsumerRecord<byte[], byte[]>> live = live(batch);
        List<DeadLetter> owned = letters.stream().filter(letter -> live.contains(letter.record())).toList();
        if (owned.size() < letters.size()) {
            LOG.info("{} dead letters of revoked partitions are left to their next owner, which applies their records"
                    + " again from the committed offset", letters.size() - owned.size());
        }
        return owned;
    }

    private void commitOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = partitionOf(record);
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
    }

    private static TopicPartition partitionOf(ConsumerRecord<byte[], byte[]> record) {
        return new TopicPartition(record.topic(), record.partition());
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
            if (inProgress != null) {
                // not a record of theirs is committed by us; the next owner re-applies them, a no-op for the ledger
                settle(inProgress);
                inProgress.records.removeIf(record -> partitions.contains(partitionOf(record)));
            }
            if (decoded != null) {
                // submit() leaves these out: the next owner applies them after the records before them
                decoded.records.removeIf(record -> partitions.contains(partitionOf(record)));
            }
            if (acknowledging != null) {
                // applied, but neither its dead letters nor its offsets are all written yet (a refusing dead-letter
                // topic retries in polls that rebalance): what is left of these partitions is the next owner's
                acknowledging.records.removeIf(record -> partitions.contains(partitionOf(record)));
            }
            pending.removeIf(record -> partitions.contains(partitionOf(record)));
            inFlight.removeIf(record -> partitions.contains(partitionOf(record)));
        }
    }
}
