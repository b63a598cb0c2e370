package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TransactionalRoundTripIT {

    private final String bootstrap = TestInfra.bootstrapServers();

    @Test
    void committedRecordsArriveWithKeysValuesAndHeaders() {
        TopicNames names = TestKafka.createTopics(bootstrap, "round-trip");
        TestTopic<String, byte[]> raw = TestTopic.of(names, Topics.IPN_RAW);
        byte[] body = "{\"payment_id\":5077125051}".getBytes(StandardCharsets.UTF_8);

        TestKafka.produceInTransaction(bootstrap, raw,
                List.of(raw.record("5077125051", body, Map.of(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY))));

        List<ConsumerRecord<String, byte[]>> records = TestKafka.consume(bootstrap, raw, 1, Duration.ofSeconds(30));
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("5077125051");
            assertThat(record.value()).isEqualTo(body);
            assertThat(new String(record.headers().lastHeader(HeaderNames.IPN_SOURCE).value(), StandardCharsets.UTF_8))
                    .isEqualTo(HeaderNames.SOURCE_GATEWAY);
        });
    }

    @Test
    void abortedAndOpenTransactionsAreInvisibleToReadCommitted() {
        String topic = TestNames.unique("isolation");
        TestKafka.createTopic(bootstrap, topic, 1);
        TestTopic<String, String> strings = TestTopic.strings(topic);
        Map<String, Object> config = TestKafka.producerConfig(bootstrap);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("aborter"));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(strings.record("k", "aborted"));
            // flushed, so the aborted record is really in the log and read_committed must skip it
            producer.flush();
            producer.abortTransaction();
            TestKafka.produceInTransaction(bootstrap, strings, List.of(strings.record("k", "committed")));
            producer.beginTransaction();
            producer.send(strings.record("k", "still-open"));
            producer.flush();

            assertThat(TestKafka.readAll(bootstrap, strings)).extracting(ConsumerRecord::value)
                    .containsExactly("committed");
            producer.commitTransaction();
        }
        assertThat(TestKafka.readAll(bootstrap, strings)).extracting(ConsumerRecord::value)
                .containsExactly("committed", "still-open");
    }
}
