package io.ipnpipeline.processor.errors;

import io.ipnpipeline.contracts.topic.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The dead-letter headers, written the same way by the parse step and by every exception handler. */
public final class DeadLetterHeaders {

    /** A reason is a short label, never a payload: long exception messages are cut. */
    private static final int MAX_REASON_LENGTH = 300;

    private DeadLetterHeaders() {
    }

    /** The original headers (received-at, request id, ...) kept, the dead-letter ones added. */
    public static Headers of(Headers original, String reason, String topic, int partition, long offset,
            Instant failedAt) {
        RecordHeaders headers = original == null ? new RecordHeaders() : new RecordHeaders(original.toArray());
        put(headers, HeaderNames.DLQ_REASON, truncate(reason));
        put(headers, HeaderNames.DLQ_SOURCE_TOPIC, String.valueOf(topic));
        put(headers, HeaderNames.DLQ_SOURCE_PARTITION, Integer.toString(partition));
        put(headers, HeaderNames.DLQ_SOURCE_OFFSET, Long.toString(offset));
        put(headers, HeaderNames.DLQ_FAILED_AT, failedAt.toString());
        return headers;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String reason) {
        String value = reason == null ? "unknown" : reason;
        return value.length() <= MAX_REASON_LENGTH ? value : value.substring(0, MAX_REASON_LENGTH) + "...";
    }
}
