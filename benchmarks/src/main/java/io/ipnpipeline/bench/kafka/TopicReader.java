package io.ipnpipeline.bench.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads every committed record of a topic, up to its end now, and maps each value. */
public final class TopicReader {

    private TopicReader() {
    }

    public static <T> List<T> readAll(KafkaOps kafka, String topic, Function<byte[], T> decode) {
        Map<TopicPartition, Long> end = kafka.endOffsets(topic);
        List<T> result = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("read_committed")) {
            consumer.assign(end.keySet());
            consumer.seekToBeginning(end.keySet());
            long deadline = System.currentTimeMillis() + 600_000;
            while (!atEnd(consumer, end)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    result.add(decode.apply(record.value()));
                }
            }
        }
        return result;
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
