package io.ipnpipeline.ops.dlq;

import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.kafka.OpsKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a dead-letter topic and sends records back to the topic they came from. The dead letters are kept: Kafka
 * topics are append-only, and keeping them means a redrive can be checked or repeated (a repeat is harmless: the
 * sink's ledger applies a status once and issues each command once).
 */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** The pipeline's own headers; dead-letter headers stay behind so a redriven record looks as first received. */
    static final String KEPT_HEADER_PREFIX = "ipn.";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;

    public DeadLetters(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Every committed record now in {@code topic}, numbered from 1 by partition then offset. */
    public List<DeadLetter> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = OpsKafka.reader(bootstrapServers)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, OpsKafka.TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                throw new OpsException(OpsException.NOT_FOUND, "topic " + topic + " does not exist");
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new OpsException(OpsException.FAILED, "could not read " + topic + " to its end within "
                            + READ_TIMEOUT.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        List<DeadLetter> letters = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            letters.add(toDeadLetter(letters.size() + 1, record));
        }
        return letters;
    }

    /** Sends each letter to {@code target} with its original key and {@code ipn.*} headers; returns where they went. */
    public List<RecordMetadata> redrive(List<DeadLetter> letters, String target) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = OpsKafka.producer(bootstrapServers, "ipn-ops-redrive")) {
            for (DeadLetter letter : letters) {
                sent.add(producer.send(new ProducerRecord<>(target, null, letter.key(), letter.value(),
                        keptHeaders(letter, Instant.now()))));
            }
            producer.flush();
            List<RecordMetadata> written = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata metadata = await(sent.get(i), letters.get(i));
                LOG.info("dlq redrive number={} key={} from={}/{} to={}/{}", letters.get(i).number(),
                        letters.get(i).key(), letters.get(i).partition(), letters.get(i).offset(),
                        metadata.partition(), metadata.offset());
                written.add(metadata);
            }
            return written;
        }
    }

    /**
     * The letter's {@code ipn.*} headers, and when it was redriven: the processor lets a redriven record through at
     * the status it already recorded, because a record dead-lettered after deduplication had its status recorded
     * and would otherwise be dropped as a repeat.
     */
    static RecordHeaders keptHeaders(DeadLetter letter, Instant redrivenAt) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : letter.headers()) {
            if (header.getKey().startsWith(KEPT_HEADER_PREFIX)) {
                headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        headers.remove(HeaderNames.IPN_REDRIVEN_AT);
        headers.add(HeaderNames.IPN_REDRIVEN_AT, IsoInstants.format(redrivenAt).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static DeadLetter toDeadLetter(int number, ConsumerRecord<String, byte[]> record) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(), value));
        }
        return new DeadLetter(number, record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                record.key(), record.value(), headers);
    }

    private static RecordMetadata await(Future<RecordMetadata> future, DeadLetter letter) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while redriving number " + letter.number(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw OpsException.unconfirmed("redrive of number " + letter.number() + " not confirmed by Kafka", e,
                    "it may or may not have been written; redriving it again is safe (the sink applies a status once"
                            + " and issues each command once)");
        }
    }
}
