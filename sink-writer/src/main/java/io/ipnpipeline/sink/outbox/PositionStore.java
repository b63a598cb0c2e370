package io.ipnpipeline.sink.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The publisher's position (the last outbox_id whose commands are committed to Kafka) lives on the outbox
 * position topic, written in the same Kafka transaction as those commands. Reading it back with
 * read_committed therefore gives exactly the position that matches what consumers of the command topics can
 * see. Partition 0 only: the topic has one partition, and pinning it keeps that true if someone adds more.
 */
final class PositionStore {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final String key;

    PositionStore(String topic, String key) {
        this.topic = topic;
        this.key = key;
    }

    String topic() {
        return topic;
    }

    ProducerRecord<String, byte[]> record(long position) {
        return new ProducerRecord<>(topic, 0, key, Long.toString(position).getBytes(StandardCharsets.UTF_8));
    }

    /** The last position recorded under our key (0 if none), and the last under each other key. */
    record Positions(long own, Map<String, Long> others) {
    }

    /**
     * Reads the topic to its end and returns the last position recorded under each key. Call it after
     * {@code initTransactions()}: that aborts or completes our previous incarnation's open transaction, so the
     * last stable offset (where a read_committed read ends) is not held back by it.
     */
    Positions read(Consumer<String, String> consumer) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        Map<String, Long> last = new TreeMap<>();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("cannot read " + topic + " to offset " + end + " within " + READ_TIMEOUT);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.value() != null) {
                    last.put(record.key(), parse(record));
                }
            }
        }
        Long own = last.remove(key);
        return new Positions(own == null ? 0 : own, last);
    }

    private long parse(ConsumerRecord<String, String> record) {
        try {
            return Long.parseLong(record.value().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("malformed position '" + record.value() + "' at " + topic + "@"
                    + record.offset(), e);
        }
    }
}
