package io.ipnpipeline.ops.dlq;

import io.ipnpipeline.contracts.topic.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One record of the dead-letter topic, as read.
 *
 * @param number    its 1-based position in {@code dlq list} (ordered by partition, then offset)
 * @param headers   every header in order, values as UTF-8 text
 */
public record DeadLetter(int number, int partition, long offset, Instant timestamp, String key, byte[] value,
        List<Map.Entry<String, String>> headers) {

    /** Header Kafka Streams' own dead-letter handler writes the exception message under. */
    static final String STREAMS_ERROR_MESSAGE = "__streams.errors.message";

    public DeadLetter {
        headers = List.copyOf(headers);
    }

    public Optional<String> header(String name) {
        String found = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equals(name)) {
                found = header.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The pipeline's reason, or the Streams handler's exception message for records it dead-lettered. */
    public String reason() {
        return header(HeaderNames.DLQ_REASON).or(() -> header(STREAMS_ERROR_MESSAGE)).orElse("(no reason header)");
    }

    public String valueText() {
        return value == null ? "(null)" : new String(value, StandardCharsets.UTF_8);
    }
}
