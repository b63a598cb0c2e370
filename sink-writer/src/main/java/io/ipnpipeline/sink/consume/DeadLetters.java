package io.ipnpipeline.sink.consume;

import io.ipnpipeline.contracts.topic.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the database rejected (or that cannot be read) to the sink dead-letter topic, byte for byte,
 * with the reason and source in headers, and waits for the acks: the consumer offsets that skip them are
 * committed only after this returns.
 */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** Reasons carry server messages; keep headers small. */
    private static final int MAX_REASON = 1_000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** What a {@link #send} left unwritten (empty if every letter was acknowledged) and the first reason why. */
    record Result(List<DeadLetter> unsent, KafkaException failure) {

        static final Result DONE = new Result(List.of(), null);
    }

    /** Sends every letter and waits for the acks; the ones acknowledged are done, and never sent again. */
    Result send(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return Result.DONE;
        }
        try {
            // a missing topic costs one max.block.ms per attempt here, not one per letter in send()
            producer.partitionsFor(topic);
        } catch (KafkaException e) {
            return new Result(List.copyOf(letters), e);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
        List<DeadLetter> unsent = new ArrayList<>();
        KafkaException failure = null;
        for (DeadLetter letter : letters) {
            try {
                acks.add(producer.send(toRecord(letter)));
            } catch (KafkaException e) {
                acks.add(null);
                failure = failure != null ? failure : e;
            }
        }
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter letter = letters.get(i);
            KafkaException notAcked = acks.get(i) == null ? failure : await(acks.get(i));
            if (notAcked != null) {
                unsent.add(letter);
                failure = failure != null ? failure : notAcked;
            } else {
                LOG.warn("payments.enriched {}-{}@{} dead-lettered: {}", letter.record().topic(),
                        letter.record().partition(), letter.record().offset(), letter.reason());
            }
        }
        return unsent.isEmpty() ? Result.DONE : new Result(List.copyOf(unsent), failure);
    }

    private ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
        var source = letter.record();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, source.key(), source.value());
        Headers headers = record.headers();
        source.headers().forEach(headers::add);
        String reason = letter.reason().length() > MAX_REASON ? letter.reason().substring(0, MAX_REASON)
                : letter.reason();
        headers.add(HeaderNames.DLQ_REASON, utf8(reason));
        headers.add(HeaderNames.DLQ_SOURCE_TOPIC, utf8(source.topic()));
        headers.add(HeaderNames.DLQ_SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(HeaderNames.DLQ_SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        headers.add(HeaderNames.DLQ_FAILED_AT, utf8(Instant.now().toString()));
        return record;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Null once acknowledged, else why not (the producer's exception, whose type says if it is retriable). */
    private static KafkaException await(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            return e.getCause() instanceof KafkaException kafka ? kafka
                    : new KafkaException("cannot dead-letter: " + e.getCause(), e.getCause());
        }
    }
}
