package io.ipnpipeline.sink.outbox;

import io.ipnpipeline.sink.db.OutboxCommand;

/**
 * A row of {@code command_outbox} as the publisher reads it; {@code issued}: its command_id is recorded in
 * {@code command_issued} (already in Kafka before a restore), so it is passed over, never published.
 */
record OutboxRow(long outboxId, String commandId, OutboxCommand.Kind kind, String key, String payload,
        boolean issued) {
}
