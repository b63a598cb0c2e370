package io.ipnpipeline.registry.table;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import java.util.Map;
import java.util.Set;

/**
 * Rows read from {@code main_clients_database}, keyed as on the topic (open_channel_id as a decimal string).
 * {@code unusable} holds ids whose row exists but cannot be a {@link ChannelMapping}: they are neither
 * published nor tombstoned, so a bad edit never removes a channel that payments depend on.
 */
public record TableRead(Map<String, ChannelMapping> rows, Set<String> unusable) {

    public TableRead {
        rows = Map.copyOf(rows);
        unusable = Set.copyOf(unusable);
    }

    public boolean exists(String key) {
        return rows.containsKey(key) || unusable.contains(key);
    }
}
