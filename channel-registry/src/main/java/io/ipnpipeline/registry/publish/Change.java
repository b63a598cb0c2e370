package io.ipnpipeline.registry.publish;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import java.util.Objects;

/** One record to put on channel.mappings: the row's value, or a tombstone for a row that is gone. */
public sealed interface Change {

    /** open_channel_id as a decimal string, the topic's key. */
    String key();

    record Upsert(String key, ChannelMapping value) implements Change {
        public Upsert {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    record Tombstone(String key) implements Change {
        public Tombstone {
            Objects.requireNonNull(key, "key");
        }
    }
}
