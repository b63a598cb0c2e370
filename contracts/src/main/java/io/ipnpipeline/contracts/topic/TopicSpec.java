package io.ipnpipeline.contracts.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic: its default name, the environment variable that renames it, how it is created, and the serdes
 * of its key and value, so every producer and consumer takes them from the same place.
 *
 * <p>{@code keptForever} topics are created with {@code retention.ms=-1}: what they hold is either a record
 * nobody has dealt with yet (a dead letter) or the only complete account of which commands were ever issued
 * (the sink's restore guard reads it back), and the broker's default of seven days would silently delete both.
 */
public record TopicSpec<K, V>(
        String defaultName,
        String envVariable,
        int defaultPartitions,
        boolean compacted,
        boolean keptForever,
        Serde<K> keySerde,
        Serde<V> valueSerde) {

    /** A topic with the broker's default retention. */
    public TopicSpec(String defaultName, String envVariable, int defaultPartitions, boolean compacted,
            Serde<K> keySerde, Serde<V> valueSerde) {
        this(defaultName, envVariable, defaultPartitions, compacted, false, keySerde, valueSerde);
    }
}
