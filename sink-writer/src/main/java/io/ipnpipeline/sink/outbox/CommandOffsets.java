package io.ipnpipeline.sink.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.serde.Json;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command topics' offsets stored with the mark ({@code command_outbox_published.command_offsets}, V7): per
 * partition, an offset at or before which every command published after the mark lies. Keyed by topic name, so
 * offsets recorded for other topics (a renamed topic) simply do not apply; and, since marks carry it, by the topic's
 * ID too, so offsets recorded for a topic deleted and recreated under the same name do not apply either. Shape:
 * {@code {"<topic>": {"<partition>": <offset>, ..., "topic_id": "<Kafka topic ID>"}}}; marks from before the ID have
 * no {@code topic_id}.
 */
final class CommandOffsets {

    static final String TOPIC_ID = "topic_id";
    private static final Logger LOG = LoggerFactory.getLogger(CommandOffsets.class);

    private CommandOffsets() {
    }

    /** What a mark's column holds: the offsets, and the ID of each topic they were read from (if known). */
    record Recorded(Map<TopicPartition, Long> offsets, Map<String, String> topicIds) {

        static Recorded none() {
            return new Recorded(new TreeMap<>(RestoreGuard.PARTITION_ORDER), Map.of());
        }
    }

    /** Null for none: the column stays NULL, and the guard reads from the beginning. */
    static String toJson(Map<TopicPartition, Long> offsets) {
        return toJson(offsets, Map.of());
    }

    /** {@code topicIds}: the ID of each topic the offsets belong to; topics without one are written without. */
    static String toJson(Map<TopicPartition, Long> offsets, Map<String, String> topicIds) {
        if (offsets == null || offsets.isEmpty()) {
            return null;
        }
        Map<String, Map<Integer, Long>> sorted = new TreeMap<>();
        offsets.forEach((partition, offset) ->
                sorted.computeIfAbsent(partition.topic(), t -> new TreeMap<>()).put(partition.partition(), offset));
        ObjectNode byTopic = Json.mapper().createObjectNode();
        sorted.forEach((name, partitions) -> {
            ObjectNode topic = byTopic.putObject(name);
            partitions.forEach((partition, offset) -> topic.put(Integer.toString(partition), offset));
            String id = topicIds == null ? null : topicIds.get(name);
            if (id != null) {
                topic.put(TOPIC_ID, id);
            }
        });
        try {
            return Json.mapper().writeValueAsString(byTopic);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write command offsets " + offsets, e);
        }
    }

    /** Empty for none; see {@link #read}. */
    static Map<TopicPartition, Long> fromJson(String json) {
        return read(json).offsets();
    }

    /**
     * None for none. A value the guard cannot read is treated as none (it then reads everything, as before V7),
     * never as a reason to stop publishing.
     */
    static Recorded read(String json) {
        if (json == null) {
            return Recorded.none();
        }
        try {
            JsonNode root = Json.mapper().readTree(json);
            if (!root.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            Map<TopicPartition, Long> offsets = new TreeMap<>(RestoreGuard.PARTITION_ORDER);
            Map<String, String> topicIds = new TreeMap<>();
            for (Map.Entry<String, JsonNode> topic : root.properties()) {
                for (Map.Entry<String, JsonNode> field : topic.getValue().properties()) {
                    if (field.getKey().equals(TOPIC_ID)) {
                        topicIds.put(topic.getKey(), field.getValue().asText());
                    } else if (field.getValue().canConvertToLong()) {
                        offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(field.getKey())),
                                field.getValue().asLong());
                    }
                }
            }
            return new Recorded(offsets, topicIds);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("restore guard: unreadable command offsets with the mark ({}); reading the command "
                    + "topics from their beginning", e.getMessage());
            return Recorded.none();
        }
    }
}
