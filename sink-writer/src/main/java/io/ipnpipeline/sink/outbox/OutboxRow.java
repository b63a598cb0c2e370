package io.ipnpipeline.sink.outbox;

import io.ipnpipeline.sink.db.OutboxCommand;

/** A row of {@code command_outbox} as the publisher reads it. */
record OutboxRow(long outboxId, String commandId, OutboxCommand.Kind kind, String key, String payload) {
}
