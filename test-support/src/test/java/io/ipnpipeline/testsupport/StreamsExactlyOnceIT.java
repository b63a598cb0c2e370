package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class StreamsExactlyOnceIT {

    private final String bootstrap = TestInfra.bootstrapServers();

    @Test
    void exactlyOnceV2AppReachesRunningAndCopiesARecord() {
        String input = TestNames.unique("streams-in");
        String output = TestNames.unique("streams-out");
        TestKafka.createTopic(bootstrap, input, 1);
        TestKafka.createTopic(bootstrap, output, 1);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase(java.util.Locale.ROOT))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));

        try (KafkaStreams streams = new KafkaStreams(builder.build(),
                TestKafka.streamsProperties(bootstrap, "streams-smoke"))) {
            streams.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);

            TestTopic<String, String> in = TestTopic.strings(input);
            TestKafka.produceInTransaction(bootstrap, in, List.of(in.record("5077125051", "finished")));

            List<ConsumerRecord<String, String>> copied =
                    TestKafka.consume(bootstrap, TestTopic.strings(output), 1, Duration.ofSeconds(30));
            assertThat(copied).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("5077125051");
                assertThat(record.value()).isEqualTo("FINISHED");
            });
        }
    }
}
