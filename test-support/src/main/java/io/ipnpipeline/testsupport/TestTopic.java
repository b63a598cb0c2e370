package io.ipnpipeline.testsupport;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A topic's actual name with the serdes to write and read it: what the produce and consume helpers take. */
public record TestTopic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /** The topic {@code spec} under {@code names}, with the spec's serdes. */
    public static <K, V> TestTopic<K, V> of(TopicNames names, TopicSpec<K, V> spec) {
        return new TestTopic<>(names.name(spec), spec.keySerde(), spec.valueSerde());
    }

    public static TestTopic<String, String> strings(String name) {
        return new TestTopic<>(name, Serdes.String(), Serdes.String());
    }

    public ProducerRecord<K, V> record(K key, V value) {
        return new ProducerRecord<>(name, key, value);
    }

    /** A record with UTF-8 text headers, as the pipeline writes them. */
    public ProducerRecord<K, V> record(K key, V value, Map<String, String> headers) {
        ProducerRecord<K, V> record = record(key, value);
        headers.forEach((header, text) -> record.headers().add(header, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
