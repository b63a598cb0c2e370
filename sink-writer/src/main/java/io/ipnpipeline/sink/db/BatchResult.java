package io.ipnpipeline.sink.db;

import java.util.List;

/** What one committed batch transaction did. */
public record BatchResult(List<AcceptedChange> accepted, int subscriptionRows, List<OutboxCommand> commands,
        int commandsInserted) {

    public static final BatchResult EMPTY = new BatchResult(List.of(), 0, List.of(), 0);

    public BatchResult {
        accepted = List.copyOf(accepted);
        commands = List.copyOf(commands);
    }

    public int ledgerRows() {
        return accepted.size();
    }
}
