package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A dedicated broker: taking the shared one away would break every other test in the JVM. */
class BrokerRestartIT {

    @Test
    void produceFailsWhileDownAndWorksAfterRestartOnTheSameAddressWithTheSameData() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start()) {
            String bootstrap = broker.bootstrapServers();
            String topic = TestNames.unique("restart");
            TestKafka.createTopic(bootstrap, topic, 1);
            TestTopic<String, String> strings = TestTopic.strings(topic);
            TestKafka.produceInTransaction(bootstrap, strings, List.of(strings.record("k", "before")));

            Map<String, Object> config = TestKafka.producerConfig(bootstrap);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                producer.send(strings.record("k", "warm-up")).get(10, TimeUnit.SECONDS);

                broker.stop();
                assertThat(broker.isRunning()).isFalse();
                assertThatThrownBy(() -> producer.send(strings.record("k", "while-down")).get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);

                broker.start();
                assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
                producer.send(strings.record("k", "after")).get(30, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<String, String>> records = TestKafka.consume(bootstrap, strings, 3, Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("before", "warm-up", "after");
        }
    }
}
