package io.ipnpipeline.sink.outbox;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.sink.db.OutboxStatement;
import io.ipnpipeline.sink.outbox.OutboxPublisher.UnsafePositionException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps contract 4 across a restore of PostgreSQL from a backup. Commands committed to Kafka after the backup was
 * taken are unknown to the restored database: re-applying their payments (a reconcile run, a replay of
 * payments.enriched) would look like a first finish and write them to the outbox again, under new outbox ids.
 *
 * <p>When the position in Kafka is beyond what PostgreSQL last heard of it (its mark, or the outbox sequence), the
 * guard, in one PostgreSQL transaction holding the outbox order lock:
 * <ol>
 * <li>records in {@code command_issued} every command_id on the command topics (read_committed, to the end), so
 * the publisher never publishes those ids again;</li>
 * <li>moves the outbox sequence past the position, so new rows are not hidden below it;</li>
 * <li>moves rows the sink wrote since the restore with ids at or below the position (drawn from the restored,
 * older sequence) above it, in their order, so they are published rather than silently skipped;</li>
 * <li>sets the mark to the position.</li>
 * </ol>
 * A crash of the sink (not a restore) can leave the mark behind too; the guard then runs and finds nothing to
 * fix.
 *
 * <p>Only commands published after the mark can be unknown to PostgreSQL: everything at or below it was in the
 * database (a backup is one snapshot, and the mark is written only after Kafka has it). So step 1 reads each
 * command topic partition from the offset recorded with the mark (see {@link CommandOffsets}, and
 * {@link #usableOffsets} for when it applies), not from 0, and step 3 then only considers rows above the mark: a row
 * at or below it whose command lies before that offset is published, not missing. A run costs the commands
 * published since the mark, not every command ever issued (the topics are kept forever). Without recorded offsets
 * (a mark from before V7, no mark, a backup from before V6) or for a partition trimmed past its offset, that
 * partition is read from its beginning, as before.
 *
 * <p>Step 3 reads "not in Kafka" as "never published", which holds only while Kafka has every command. When
 * retention trimmed a command topic, a row in (mark, position] may instead have been published before the trim
 * (no mark: a backup from before V6; or a mark below the trimmed commands): publishing it again would invite or pay
 * a second time. The guard then neither moves nor publishes such rows; it commits steps 1 and 2 (both safe), names
 * the rows and stops the publisher until an operator has said, row by row, which were issued (see
 * {@link #unsure}).
 *
 * <p>The other way round, Kafka's position BELOW the mark, means the position topic lost what it had (its name was
 * changed, it was deleted or recreated, the broker's data is gone): see {@link #positionLost}.
 */
final class RestoreGuard {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreGuard.class);
    static final Comparator<TopicPartition> PARTITION_ORDER = Comparator.comparing(TopicPartition::toString);
    /** The read fails if the consumer makes no progress for this long (a vanished broker, not a big topic). */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final int CHUNK = 10_000;

    static final String MARK_SQL = "SELECT position, command_offsets::text FROM command_outbox_published "
            + "WHERE publisher = ?";
    /** Position and offsets in one statement: a backup always carries a pair that belongs together. */
    static final String SAVE_MARK_SQL = "INSERT INTO command_outbox_published (publisher, position, command_offsets) "
            + "VALUES (?, ?, ?::jsonb) ON CONFLICT (publisher) DO UPDATE SET position = excluded.position, "
            + "command_offsets = excluded.command_offsets, updated_at = now()";
    static final String RECORD_SQL = "INSERT INTO command_issued (command_id) SELECT unnest(?::text[]) "
            + "ON CONFLICT DO NOTHING";
    /** Only ever forward: under the order lock nobody draws an id, so the check and the move cannot race. */
    static final String SEQUENCE_SQL = "SELECT setval('command_outbox_outbox_id_seq', ?) FROM command_outbox_outbox_id_seq "
            + "WHERE CASE WHEN is_called THEN last_value ELSE last_value - 1 END < ?";
    /** Rows above the mark and at or below the position whose command never reached Kafka. */
    static final String UNPUBLISHED_SQL = "DELETE FROM command_outbox o WHERE o.outbox_id > ? AND o.outbox_id <= ? "
            + "AND NOT EXISTS (SELECT 1 FROM command_issued i WHERE i.command_id = o.command_id) "
            + "RETURNING o.outbox_id, o.command_id, o.kind, o.message_key, o.payload::text, o.created_at";
    /** The same rows as {@link #UNPUBLISHED_SQL}, read only: the first ones and how many there are. */
    static final String UNSURE_SQL = "SELECT o.command_id, o.message_key, count(*) OVER () FROM command_outbox o "
            + "WHERE o.outbox_id > ? AND o.outbox_id <= ? "
            + "AND NOT EXISTS (SELECT 1 FROM command_issued i WHERE i.command_id = o.command_id) "
            + "ORDER BY o.outbox_id LIMIT ?";
    /** How many of the unsure rows the message names; the operator lists the rest with the query it gives. */
    static final int NAMED = 20;
    /**
     * The last outbox row of one kind the mark covers: its command must be on that kind's command topic if the topic
     * is the one the mark was written with. One kind at a time: the last row of all proves only its own topic.
     */
    static final String MARKED_COMMAND_SQL = "SELECT command_id FROM command_outbox WHERE outbox_id <= ? AND kind = ? "
            + "ORDER BY outbox_id DESC LIMIT 1";
    /** {@code command_outbox.kind} of the commands on each command topic, in the order of {@link #commandTopics}. */
    private static final List<String> KINDS = List.of("invite", "payout");
    static final String REINSERT_SQL = "INSERT INTO command_outbox (command_id, kind, message_key, payload, created_at) "
            + "VALUES (?, ?, ?, ?::jsonb, ?)";

    private final String name;
    private final List<String> commandTopics;

    RestoreGuard(String name, String inviteTopic, String payoutTopic) {
        this.name = name;
        this.commandTopics = List.of(inviteTopic, payoutTopic);
    }

    /**
     * Commands may have been issued that PostgreSQL does not know of: the position in Kafka is beyond the outbox
     * sequence, or beyond the mark (which a backup carries from its own time), or there is no mark yet.
     */
    static boolean needed(long position, long allocated, OptionalLong mark) {
        return position > allocated || (position > 0 && (mark.isEmpty() || mark.getAsLong() < position));
    }

    /**
     * When a command topic is trimmed: rows at or below the mark were published before the backup was taken.
     * Without a mark (the first start after this guard was deployed) and no sign of a restore, every row at or below
     * the position is taken as published, whether or not Kafka's retention still has it, so nothing is moved. (With
     * every command still in Kafka the guard needs no such bound: it moves any row Kafka does not have.) Left: a
     * backup from before the mark existed, restored onto trimmed topics, whose sink wrote past the position before
     * the guard ran: rows it wrote below the position stay unpublished (README, restore runbook).
     */
    static long movableAbove(long position, long allocated, OptionalLong mark) {
        if (mark.isPresent()) {
            return mark.getAsLong();
        }
        return position > allocated ? 0 : position;
    }

    /**
     * Which offsets recorded with the mark the read can start from: those of partitions that still hold them
     * (retention has not deleted past them) and have not ended before them (the topic was not recreated). Any
     * other partition, or one with no offset recorded (a mark from before V7, a partition added since), is read
     * from its beginning. The offsets also need the mark to be a lower bound for every outbox row written since:
     * an outbox sequence below the mark (not what any consistent backup holds, but possible by hand) could have
     * drawn ids at or below it for rows never published, which only a full read finds. Nor do offsets recorded
     * for another topic of the same name (see {@link #recreated}).
     */
    static Map<TopicPartition, Long> usableOffsets(Optional<Mark> mark, long allocated,
            Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends, Map<String, String> topicIds) {
        Map<TopicPartition, Long> usable = new TreeMap<>(PARTITION_ORDER);
        if (mark.isEmpty() || allocated < mark.get().position()) {
            return usable;
        }
        Set<String> recreated = recreated(mark, topicIds);
        mark.get().commandOffsets().forEach((partition, offset) -> {
            Long beginning = beginnings.get(partition);
            Long end = ends.get(partition);
            if (beginning != null && end != null && beginning <= offset && offset <= end
                    && !recreated.contains(partition.topic())) {
                usable.put(partition, offset);
            }
        });
        return usable;
    }

    /**
     * Command topics whose ID differs from the one recorded with the mark: deleted and recreated under the same name
     * since (or another cluster's). Their offsets say nothing about the topic there now, which can have grown past
     * them. Like a trimmed topic, it no longer holds what was published to the old one, so "not on it" does not
     * mean "never published": rows at or below the mark count as published, and rows above it that are not on it
     * are undecided (see {@link #unsure}). A mark without IDs (written before they were recorded) names none.
     */
    static Set<String> recreated(Optional<Mark> mark, Map<String, String> topicIds) {
        Set<String> recreated = new TreeSet<>();
        if (mark.isPresent()) {
            mark.get().topicIds().forEach((topic, id) -> {
                if (!id.equals(topicIds.get(topic))) {
                    recreated.add(topic);
                }
            });
        }
        return recreated;
    }

    /**
     * PostgreSQL's mark: {@code position} and, since V7, the command topics' offsets as of the Kafka commit it
     * covers (empty when not recorded).
     */
    record Mark(long position, Map<TopicPartition, Long> commandOffsets, Map<String, String> topicIds) {

        /** A mark whose offsets carry no topic IDs (written before they were recorded). */
        Mark(long position, Map<TopicPartition, Long> commandOffsets) {
            this(position, commandOffsets, Map.of());
        }

        static OptionalLong position(Optional<Mark> mark) {
            return mark.isPresent() ? OptionalLong.of(mark.get().position()) : OptionalLong.empty();
        }
    }

    static Optional<Mark> mark(Connection session, String name) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(MARK_SQL)) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                CommandOffsets.Recorded recorded = CommandOffsets.read(rs.getString(2));
                return Optional.of(new Mark(rs.getLong(1), recorded.offsets(), recorded.topicIds()));
            }
        }
    }

    /**
     * {@code commandOffsets} empty or null: not known, so the next guard run reads from the beginning.
     * {@code topicIds}: the ID of each command topic the offsets were taken from.
     */
    static void saveMark(Connection session, String name, long position, Map<TopicPartition, Long> commandOffsets,
            Map<String, String> topicIds) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(SAVE_MARK_SQL)) {
            statement.setString(1, name);
            statement.setLong(2, position);
            statement.setString(3, CommandOffsets.toJson(commandOffsets, topicIds));
            statement.executeUpdate();
        }
    }

    /**
     * Runs the four steps in one transaction on the lease's session; the session is back in autocommit after.
     * {@code topicIds}: the command topics' IDs now.
     */
    void run(Connection session, Consumer<String, String> reader, long position, long allocated, Optional<Mark> mark,
            Map<String, String> topicIds) throws SQLException, UnsafePositionException {
        OptionalLong markPosition = Mark.position(mark);
        LOG.warn("restore guard: the published position {} is beyond what PostgreSQL knows (outbox sequence {}, "
                + "mark {}); the database may have been restored from a backup. Reading {} back before publishing",
                position, allocated, markPosition.isPresent() ? markPosition.getAsLong() : "none", commandTopics);
        session.setAutoCommit(false);
        try {
            // a mark without topic IDs cannot tell a recreated topic by its ID: its last command of each kind can
            Read read = recordIssued(session, reader, markedCommands(session, mark), recreated(mark, topicIds),
                    (beginnings, ends) -> usableOffsets(mark, allocated, beginnings, ends, topicIds));
            long[] counts = {read.found(), read.recorded()};
            // only now: the sink's batches must not wait for the read, only for the few statements below
            lockOutbox(session);
            boolean sequenceMoved = moveSequence(session, position);
            // with every command still in Kafka, "not in Kafka" means "never published" for any row, mark or not;
            // a read from the mark's offsets only knows the commands after the mark, and rows up to it are published
            long lower = read.trimmed().isEmpty() && read.from().isEmpty() ? 0
                    : movableAbove(position, allocated, markPosition);
            if (!read.trimmed().isEmpty()) {
                Unsure unsure = unsure(session, lower, position);
                if (unsure.count() > 0) {
                    // what is known for sure stays: the recorded ids, and the sequence past the position, so rows
                    // the sink writes from now on are not unsure too. The mark keeps the lower bound: with the
                    // sequence moved, the next run could no longer tell a restore from a first start without one
                    boolean markOffsets = mark.isPresent() && mark.get().position() == lower;
                    saveMark(session, name, lower, offsetsFor(lower, position, mark, read),
                            markOffsets ? mark.get().topicIds() : topicIds);
                    session.commit();
                    throw unsure.refusal(read.trimmed(), lower, position);
                }
            }
            int moved = moveUnpublished(session, lower, position);
            // every command after the position is published after this run, so after the ends it read to
            saveMark(session, name, position, read.ends(), topicIds);
            session.commit();
            LOG.warn("restore guard: {} commands found in Kafka ({}), {} of them newly recorded as issued (never "
                    + "published again); outbox sequence {} {}; {} unpublished outbox rows moved above the position",
                    counts[0], read.from().isEmpty() ? "read from the beginning"
                            : "read from the offsets recorded with the mark " + read.from(),
                    counts[1], sequenceMoved ? "moved to" : "already at or past", position, moved);
        } catch (SQLException | RuntimeException e) {
            rollback(session, e);
            throw e;
        } finally {
            session.setAutoCommit(true);
        }
    }

    /**
     * Kafka's position is behind PostgreSQL's mark, which is only ever written after Kafka committed it: the position
     * topic lost it. Publishing from Kafka's position would issue every retained command again (up to the outbox
     * retention, days of invites and payouts). Everything at or below the mark is in Kafka by definition, so
     * publishing continues from the mark. Rows above it may have been published too (the mark lags by up to a
     * second under load, more after a crash): the command topics are read back and every command_id found is
     * recorded in {@code command_issued}, so it is passed over.
     *
     * <p>That read-back proves a row above the mark unpublished only if the topics still hold every command
     * published after the mark: none is trimmed by retention, and each is the topic the mark was written with, not
     * one recreated since or a new cluster's. Each topic separately: only the position topic and one command topic
     * may have been recreated. The mark's topic IDs tell; for a mark without them, the last command of the topic's
     * kind at or below the mark must be on it. Otherwise, if any row above the mark is not found, publishing stops
     * until an operator decides (the recorded ids stay: they are facts).
     *
     * <p>The mark is written back with the offsets this read ended at, in the same transaction as the recorded ids:
     * those recorded with it belonged to the topics that were lost.
     *
     * @return the position to publish from: the mark
     */
    long positionLost(Connection session, Consumer<String, String> reader, long position, Mark lostMark,
            String positionTopic, Map<String, String> topicIds) throws SQLException, UnsafePositionException {
        long mark = lostMark.position();
        LOG.warn("the outbox position topic {} has position {} for {}, but PostgreSQL's mark says outbox ids up to {} "
                + "were committed to Kafka: the topic was changed, emptied or lost. Never publishing from {}; reading "
                + "{} back to continue from {}", positionTopic, position, name, mark, position, commandTopics, mark);
        session.setAutoCommit(false);
        try {
            // from the beginning: the check that these are the mark's topics looks for commands before the mark
            Read read = recordIssued(session, reader, markedCommands(session, Optional.of(lostMark)),
                    recreated(Optional.of(lostMark), topicIds), (beginnings, ends) -> Map.of());
            Unsure unsure = unsure(session, mark, Long.MAX_VALUE);
            // The offsets with the mark were the lost topics' and may point anywhere into these (recreated under the
            // same names, they grow past them): a guard run after a crash before the next mark would start there and
            // skip commands published from now on. The ends read to are right for these topics: everything before
            // them is recorded in command_issued in this transaction, and anything published later lies beyond them.
            // (Clearing them instead would make that run read from the beginning and, with nothing trimmed, count
            // every row up to the position that is not on the new topics as unpublished: the old cluster's too.)
            // Also before a refusal: the operator's way out leaves Kafka's position at the mark with these offsets.
            // trimmed includes topics recreated since the mark (by ID) and those not holding their marked command
            boolean refuse = unsure.count() > 0 && !read.trimmed().isEmpty();
            if (refuse) {
                Set<String> distrusted = new TreeSet<>(recreated(Optional.of(lostMark), topicIds));
                distrusted.addAll(read.unverified().keySet());
                keepEvidence(session, mark, lostMark, distrusted, read.ends(), topicIds);
            } else {
                saveMark(session, name, mark, read.ends(), topicIds);
            }
            session.commit();
            if (refuse) {
                throw unsure.positionLostRefusal(read.trimmed(), read.unverified(), position, mark, positionTopic,
                        name);
            }
            LOG.warn("outbox position restored from PostgreSQL's mark: publishing continues from {} (not {}); {} "
                    + "commands found in Kafka, {} of them newly recorded as issued (never published again); {} outbox "
                    + "rows above the mark to publish", mark, position, read.found(), read.recorded(), unsure.count());
            return mark;
        } catch (SQLException | RuntimeException e) {
            rollback(session, e);
            throw e;
        } finally {
            session.setAutoCommit(true);
        }
    }

    /**
     * Writes the mark back before a refusal without the evidence that a command topic is not the mark's: with the
     * new topic's ID (or, for a mark without IDs, its offsets) in the mark, the publisher's retry would take the
     * topic for the mark's and publish the rows the refusal holds back. A topic recreated by ID keeps its old ID and
     * offsets (never used: its ID differs); one judged by its marked command keeps no entry, so the retry reads it
     * from its beginning and looks for that command again. The others get the ends read to, as on success.
     */
    private void keepEvidence(Connection session, long mark, Mark lostMark, Set<String> distrusted,
            Map<TopicPartition, Long> ends, Map<String, String> topicIds) throws SQLException {
        Map<TopicPartition, Long> offsets = new TreeMap<>(PARTITION_ORDER);
        ends.forEach((partition, offset) -> {
            if (!distrusted.contains(partition.topic())) {
                offsets.put(partition, offset);
            }
        });
        Map<String, String> ids = new TreeMap<>();
        topicIds.forEach((topic, id) -> {
            if (!distrusted.contains(topic)) {
                ids.put(topic, id);
            }
        });
        lostMark.commandOffsets().forEach((partition, offset) -> {
            String oldId = lostMark.topicIds().get(partition.topic());
            if (distrusted.contains(partition.topic()) && oldId != null) {
                offsets.put(partition, offset);
                ids.put(partition.topic(), oldId);
            }
        });
        saveMark(session, name, mark, offsets, ids);
    }

    /** The offsets that belong with a mark written back as {@code lower}: known only for the old mark and the position. */
    private static Map<TopicPartition, Long> offsetsFor(long lower, long position, Optional<Mark> mark, Read read) {
        if (mark.isPresent() && mark.get().position() == lower) {
            return mark.get().commandOffsets();
        }
        return lower == position ? read.ends() : Map.of();
    }

    /**
     * For each command topic whose ID the mark does not carry (a mark written before IDs were recorded): the last
     * command of its kind at or below the mark, which must be on it if it is the topic the mark was written with;
     * empty if the mark covers no such row still in the outbox (deleted by housekeeping), so nothing can prove it.
     * Topics with an ID in the mark are judged by it (see {@link #recreated}); no mark, nothing to check.
     */
    private Map<String, Optional<String>> markedCommands(Connection session, Optional<Mark> mark) throws SQLException {
        Map<String, Optional<String>> marked = new TreeMap<>();
        if (mark.isEmpty()) {
            return marked;
        }
        for (int i = 0; i < commandTopics.size(); i++) {
            String topic = commandTopics.get(i);
            if (mark.get().topicIds().containsKey(topic)) {
                continue;
            }
            try (PreparedStatement statement = session.prepareStatement(MARKED_COMMAND_SQL)) {
                statement.setLong(1, mark.get().position());
                statement.setString(2, KINDS.get(i));
                try (ResultSet rs = statement.executeQuery()) {
                    marked.put(topic, rs.next() ? Optional.of(rs.getString(1)) : Optional.empty());
                }
            }
        }
        return marked;
    }

    private static void lockOutbox(Connection session) throws SQLException {
        try (PreparedStatement lock = session.prepareStatement(OutboxStatement.LOCK_SQL)) {
            lock.setLong(1, OutboxStatement.ORDER_LOCK);
            lock.execute();
        }
    }

    /**
     * What reading the command topics found; {@code trimmed}: partitions read from their beginning that do not hold
     * everything published to their topic (retention deleted their beginning, or the topic is not the mark's);
     * {@code unverified}: why, for each topic not shown to be the mark's by its marked command; {@code from}:
     * partitions read from an offset recorded with the mark, not their beginning; {@code ends}: where the read ended.
     */
    private record Read(long found, long recorded, Map<TopicPartition, Long> trimmed, Map<String, String> unverified,
            Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
    }

    /** Picks, given each partition's beginning and end, the partitions to read from a recorded offset. */
    @FunctionalInterface
    private interface StartChoice {
        Map<TopicPartition, Long> from(Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends);
    }

    /**
     * {@code recreated}: topics whose partitions read from their beginning are judged as trimmed all the same.
     * {@code marked}: per topic, the command that must be on it if it is read from its beginning (see
     * {@link #markedCommands}); a topic without it is judged as trimmed too.
     */
    private Read recordIssued(Connection session, Consumer<String, String> reader,
            Map<String, Optional<String>> marked, Set<String> recreated, StartChoice choice) throws SQLException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : commandTopics) {
            for (PartitionInfo info : reader.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        reader.assign(partitions);
        Map<TopicPartition, Long> beginnings = reader.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        Map<TopicPartition, Long> from = choice.from(beginnings, end);
        List<TopicPartition> fromBeginning = partitions.stream().filter(p -> !from.containsKey(p)).toList();
        reader.seekToBeginning(fromBeginning);
        from.forEach(reader::seek);
        Map<TopicPartition, Long> trimmed = trimmed(beginnings, fromBeginning, recreated);
        long found = 0;
        long recorded = 0;
        List<String> chunk = new ArrayList<>(CHUNK);
        long lastProgress = System.nanoTime();
        Set<String> sawMarked = new TreeSet<>();
        while (!reachedEnd(reader, end)) {
            if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                throw new TimeoutException("no progress reading " + commandTopics + " for " + STALL_TIMEOUT);
            }
            for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                lastProgress = System.nanoTime();
                String commandId = commandId(record);
                if (marked.getOrDefault(record.topic(), Optional.empty()).filter(commandId::equals).isPresent()) {
                    sawMarked.add(record.topic());
                }
                chunk.add(commandId);
                found++;
                if (chunk.size() == CHUNK) {
                    recorded += record(session, chunk);
                    chunk.clear();
                }
            }
        }
        recorded += record(session, chunk);
        Map<String, String> unverified = unverified(marked, sawMarked, from);
        beginnings.forEach((partition, offset) -> {
            if (unverified.containsKey(partition.topic())) {
                trimmed.putIfAbsent(partition, offset);
            }
        });
        return new Read(found, recorded, trimmed, unverified, from, end);
    }

    /**
     * The topics read entirely from their beginning that do not hold the last command of their kind at or below the
     * mark, and why: not the topic the mark was written with (recreated since, or another cluster's), so "not on it"
     * does not mean "never published" there either.
     */
    private static Map<String, String> unverified(Map<String, Optional<String>> marked, Set<String> sawMarked,
            Map<TopicPartition, Long> from) {
        Map<String, String> unverified = new TreeMap<>();
        marked.forEach((topic, command) -> {
            // read from an offset recorded with the mark, the topic is past the marked command (and was checked)
            boolean fromOffsets = from.keySet().stream().anyMatch(p -> p.topic().equals(topic));
            if (fromOffsets || sawMarked.contains(topic)) {
                return;
            }
            String why = command.isEmpty()
                    ? "no outbox row of its kind at or below the mark is left to check it against"
                    : "the last command of its kind at or below the mark, " + command.get() + ", is not on it";
            unverified.put(topic, why);
            LOG.warn("restore guard: {} cannot be shown to be the topic the mark was written with ({}, the mark "
                    + "records no topic ID): commands published to the old one cannot be recognised", topic, why);
        });
        return unverified;
    }

    private static boolean reachedEnd(Consumer<String, String> reader, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (reader.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Commands deleted by retention cannot be recognised: say so, loudly. Whether that stops publishing depends on
     * whether any outbox row could be one of them (see {@link #unsure}).
     */
    private static Map<TopicPartition, Long> trimmed(Map<TopicPartition, Long> beginnings,
            List<TopicPartition> readFromBeginning, Set<String> recreated) {
        Map<TopicPartition, Long> trimmed = new TreeMap<>(PARTITION_ORDER);
        beginnings.forEach((partition, offset) -> {
            if (recreated.contains(partition.topic()) && readFromBeginning.contains(partition)) {
                trimmed.put(partition, offset);
                LOG.warn("restore guard: {} is not the topic the mark's offsets were recorded for (its topic ID "
                        + "changed: deleted and recreated, or another cluster's): commands published to the old one "
                        + "cannot be recognised", partition);
            } else if (offset > 0 && readFromBeginning.contains(partition)) {
                trimmed.put(partition, offset);
                LOG.warn("restore guard: {} starts at offset {}: older commands were deleted by retention and cannot "
                        + "be recognised if their payments are applied again (create the command topics with "
                        + "retention.ms=-1)", partition, offset);
            }
        });
        return trimmed;
    }

    /** The header every published command carries; the topic and key say the same for a record without it. */
    private String commandId(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(CommandIds.HEADER);
        if (header != null) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        long paymentId = Long.parseLong(record.key());
        return record.topic().equals(commandTopics.get(0)) ? CommandIds.invite(paymentId) : CommandIds.payout(paymentId);
    }

    private static int record(Connection session, List<String> commandIds) throws SQLException {
        if (commandIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = session.prepareStatement(RECORD_SQL)) {
            Array ids = session.createArrayOf("text", commandIds.toArray());
            statement.setArray(1, ids);
            return statement.executeUpdate();
        }
    }

    private static boolean moveSequence(Connection session, long position) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(SEQUENCE_SQL)) {
            statement.setLong(1, position);
            statement.setLong(2, position);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The first {@link #NAMED} rows the guard cannot decide on, and how many there are in all. */
    private record Unsure(List<String> commandIds, List<String> paymentIds, long count) {

        /**
         * The message tells the operator how to decide, row by row, with the statements that record the decision;
         * the publisher retries with backoff and goes on by itself once no row is left undecided.
         */
        UnsafePositionException refusal(Map<TopicPartition, Long> trimmed, long lower, long position) {
            String rows = "command_outbox rows with outbox_id > " + lower + " AND outbox_id <= " + position
                    + " whose command_id is not in command_issued";
            return UnsafePositionException.unsure(count + " outbox rows may have been issued before the "
                    + "command topics were trimmed or recreated",
                    "restore guard: the command topics were trimmed by retention or recreated (" + trimmed + ") and "
                    + count + " " + rows + " are not in them: each was either published before the trim or to the "
                    + "old topic (publishing it again would invite or pay a second time) or written after the restore (it must be published)."
                    + " Payments " + String.join(", ", paymentIds) + (count > commandIds.size() ? " and more" : "")
                    + " (commands " + String.join(", ", commandIds) + (count > commandIds.size() ? ", ..." : "")
                    + "; all of them: SELECT outbox_id, command_id, created_at FROM command_outbox o WHERE outbox_id > "
                    + lower + " AND outbox_id <= " + position + " AND NOT EXISTS (SELECT 1 FROM command_issued i "
                    + "WHERE i.command_id = o.command_id) ORDER BY outbox_id). Publishing stops until each is "
                    + "decided: ask the payout consumer (payouts) and the bot (invites), or NOWPayments, whether it "
                    + "was carried out. Issued: INSERT INTO command_issued (command_id) VALUES ('<command_id>') "
                    + "(it is then passed over). Not issued: UPDATE command_outbox SET outbox_id = "
                    + "nextval('command_outbox_outbox_id_seq') WHERE command_id = '<command_id>' (the sequence is "
                    + "already past the position, so it is published). The publisher retries by itself; see README "
                    + "'Restoring PostgreSQL from a backup'.");
        }

        /** See {@link RestoreGuard#positionLost}: the operator decides the rows above the mark, then sets the position. */
        UnsafePositionException positionLostRefusal(Map<TopicPartition, Long> trimmed, Map<String, String> unverified,
                long position, long mark, String positionTopic, String name) {
            String why = "they were trimmed by retention or recreated since the mark (" + trimmed + ")"
                    + (unverified.isEmpty() ? "" : "; " + unverified);
            return UnsafePositionException.unsure("outbox position topic behind PostgreSQL's mark (position "
                    + position + ", mark " + mark + ") and " + count + " outbox rows above the mark undecided",
                    "the outbox position topic " + positionTopic + " has position " + position + " for "
                    + SinkConfig.TRANSACTIONAL_ID + "=" + name + ", but PostgreSQL's mark (command_outbox_published) "
                    + "says outbox ids up to " + mark + " were committed to Kafka: " + Topics.OUTBOX_POSITION.envVariable()
                    + " was changed, or the topic was deleted or recreated, or Kafka's data was lost. Publishing from "
                    + position + " would issue every retained command again, so it would continue from the mark; but "
                    + count + " outbox rows above the mark are not on the command topics, and the topics cannot "
                    + "prove they were never published: " + why + ". Payments " + String.join(", ", paymentIds)
                    + (count > commandIds.size() ? " and more" : "") + " (commands " + String.join(", ", commandIds)
                    + (count > commandIds.size() ? ", ..." : "") + "; all of them: SELECT outbox_id, command_id, "
                    + "created_at FROM command_outbox o WHERE outbox_id > " + mark + " AND NOT EXISTS (SELECT 1 FROM "
                    + "command_issued i WHERE i.command_id = o.command_id) ORDER BY outbox_id). Publishing stops. If "
                    + Topics.OUTBOX_POSITION.envVariable() + " was changed by mistake, set it back. Otherwise ask the payout"
                    + " consumer (payouts) and the bot (invites) whether each was carried out; issued: INSERT INTO "
                    + "command_issued (command_id) VALUES ('<command_id>') (it is then passed over). Then write the "
                    + "mark as the position: echo '" + name + ":" + mark + "' | kafka-console-producer.sh "
                    + "--bootstrap-server <brokers> --topic " + positionTopic + " --property parse.key=true "
                    + "--property key.separator=: (the rows not recorded as issued are then published). The publisher "
                    + "retries by itself; see README 'Losing the outbox position topic'.");
        }
    }

    private static Unsure unsure(Connection session, long lower, long position) throws SQLException {
        List<String> commandIds = new ArrayList<>();
        Set<String> paymentIds = new LinkedHashSet<>();
        long count = 0;
        try (PreparedStatement statement = session.prepareStatement(UNSURE_SQL)) {
            statement.setLong(1, lower);
            statement.setLong(2, position);
            statement.setInt(3, NAMED);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    commandIds.add(rs.getString(1));
                    paymentIds.add(rs.getString(2));
                    count = rs.getLong(3);
                }
            }
        }
        return new Unsure(commandIds, List.copyOf(paymentIds), count);
    }

    private record Unpublished(long outboxId, String commandId, String kind, String key, String payload,
            Timestamp createdAt) {
    }

    /**
     * Re-inserts, in their order and so above the position, the rows with ids in (mark, position] that never
     * reached Kafka: the sink wrote them after the restore with ids from the restored sequence, and the publisher
     * would otherwise never read that far back.
     */
    private static int moveUnpublished(Connection session, long mark, long position) throws SQLException {
        List<Unpublished> rows = new ArrayList<>();
        try (PreparedStatement delete = session.prepareStatement(UNPUBLISHED_SQL)) {
            delete.setLong(1, mark);
            delete.setLong(2, position);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Unpublished(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6)));
                }
            }
        }
        rows.sort(Comparator.comparingLong(Unpublished::outboxId));
        try (PreparedStatement insert = session.prepareStatement(REINSERT_SQL)) {
            for (Unpublished row : rows) {
                insert.setString(1, row.commandId());
                insert.setString(2, row.kind());
                insert.setString(3, row.key());
                insert.setString(4, row.payload());
                insert.setTimestamp(5, row.createdAt());
                insert.executeUpdate();
                LOG.warn("restore guard: {} was written after the restore below the published position; moved above "
                        + "it so it is published", row.commandId());
            }
        }
        return rows.size();
    }

    private static void rollback(Connection session, Exception cause) {
        try {
            session.rollback();
        } catch (SQLException failure) {
            cause.addSuppressed(failure);
        }
    }
}
