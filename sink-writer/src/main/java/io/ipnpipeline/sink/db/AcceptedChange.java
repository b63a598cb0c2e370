package io.ipnpipeline.sink.db;

import io.ipnpipeline.sink.batch.PlannedRow;

/**
 * A ledger row the upsert accepted (inserted, or moved forward). {@code finishedNow}: this statement made the
 * payment's first transition to finished, so the renewal and both commands belong to this transaction.
 */
public record AcceptedChange(PlannedRow row, boolean finishedNow) {
}
