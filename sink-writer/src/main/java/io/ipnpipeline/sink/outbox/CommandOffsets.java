package io.ipnpipeline.sink.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.ipnpipeline.contracts.serde.Json;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command topics' offsets stored with the mark ({@code command_outbox_published.command_offsets}, V7): per
 * partition, an offset at or before which every command published after the mark lies. Keyed by topic name, so
 * offsets recorded for other topics (a renamed topic) simply do not apply.
 */
final class CommandOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(CommandOffsets.class);
    private static final TypeReference<Map<String, Map<Integer, Long>>> SHAPE = new TypeReference<>() {
    };

    private CommandOffsets() {
    }

    /** Null for none: the column stays NULL, and the guard reads from the beginning. */
    static String toJson(Map<TopicPartition, Long> offsets) {
        if (offsets == null || offsets.isEmpty()) {
            return null;
        }
        Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
        offsets.forEach((partition, offset) ->
                byTopic.computeIfAbsent(partition.topic(), t -> new TreeMap<>()).put(partition.partition(), offset));
        try {
            return Json.mapper().writeValueAsString(byTopic);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write command offsets " + offsets, e);
        }
    }

    /**
     * Empty for none. A value the guard cannot read is treated as none (it then reads everything, as before V7),
     * never as a reason to stop publishing.
     */
    static Map<TopicPartition, Long> fromJson(String json) {
        Map<TopicPartition, Long> offsets = new TreeMap<>(RestoreGuard.PARTITION_ORDER);
        if (json == null) {
            return offsets;
        }
        try {
            Json.mapper().readValue(json, SHAPE).forEach((topic, partitions) -> partitions.forEach((partition, offset) -> {
                if (offset != null) {
                    offsets.put(new TopicPartition(topic, partition), offset);
                }
            }));
            return offsets;
        } catch (JsonProcessingException e) {
            LOG.warn("restore guard: unreadable command offsets with the mark ({}); reading the command "
                    + "topics from their beginning", e.getMessage());
            return new TreeMap<>(RestoreGuard.PARTITION_ORDER);
        }
    }
}
