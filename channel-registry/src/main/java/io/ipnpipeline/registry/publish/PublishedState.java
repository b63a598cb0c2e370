package io.ipnpipeline.registry.publish;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the topic holds per key, as far as this publisher knows: rebuilt from the compacted topic when it
 * becomes leader, then kept up to date with every committed publish. Not thread-safe: one worker owns it.
 */
public final class PublishedState {

    // Optional.empty(): the topic holds a value for the key that this code cannot read (always republished)
    private final Map<String, Optional<ChannelMapping>> values = new HashMap<>();

    public static PublishedState empty() {
        return new PublishedState();
    }

    /** A record read back from the topic: a value, a tombstone ({@code null}), or an unreadable value. */
    public void recordRead(String key, Optional<ChannelMapping> value, boolean tombstone) {
        if (tombstone) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    public void apply(Change change) {
        if (change instanceof Change.Upsert upsert) {
            values.put(upsert.key(), Optional.of(upsert.value()));
        } else {
            values.remove(change.key());
        }
    }

    /** True when the topic does not already say exactly {@code row} for {@code key}. */
    public boolean differs(String key, ChannelMapping row) {
        Optional<ChannelMapping> published = values.get(key);
        return published == null || published.isEmpty() || !published.get().equals(row);
    }

    /** True when the topic holds a live (non-tombstoned) value for {@code key}. */
    public boolean holds(String key) {
        return values.containsKey(key);
    }

    public Set<String> keys() {
        return Set.copyOf(values.keySet());
    }

    public int size() {
        return values.size();
    }
}
