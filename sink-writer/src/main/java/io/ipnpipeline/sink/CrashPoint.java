package io.ipnpipeline.sink;

/**
 * Consulted at each step of the commit sequence. Production uses {@link #NONE}; the fault tests pass one that
 * throws at a chosen step, which kills the worker thread right there, like a process crash: nothing after that
 * point runs (no offset commit, no Kafka commit, no cleanup that a crash would not do).
 */
@FunctionalInterface
public interface CrashPoint {

    enum Step {
        /** The batch's PostgreSQL transaction committed; the consumer offsets are not committed yet. */
        BATCH_AFTER_DB_COMMIT,
        /** The consumer offsets of the batch are committed (the publisher was woken at the PostgreSQL commit). */
        BATCH_AFTER_OFFSET_COMMIT,
        /** The commands and the position record are sent in an open Kafka transaction, not committed. */
        PUBLISH_BEFORE_KAFKA_COMMIT,
        /** The Kafka transaction committed; the publisher has not moved its in-memory position yet. */
        PUBLISH_AFTER_KAFKA_COMMIT
    }

    CrashPoint NONE = step -> { };

    void reached(Step step);
}
