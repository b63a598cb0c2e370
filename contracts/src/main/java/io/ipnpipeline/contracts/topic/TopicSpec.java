package io.ipnpipeline.contracts.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic: its default name, the environment variable that renames it, how it is created, and the serdes
 * of its key and value, so every producer and consumer takes them from the same place.
 */
public record TopicSpec<K, V>(
        String defaultName,
        String envVariable,
        int defaultPartitions,
        boolean compacted,
        Serde<K> keySerde,
        Serde<V> valueSerde) {
}
