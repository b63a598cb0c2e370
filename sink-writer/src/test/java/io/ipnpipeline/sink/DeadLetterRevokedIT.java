package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * A dead letter the dead-letter topic refuses is retried while polling; a second member joins during that wait and
 * takes the record's partition. The new owner starts at the committed offset (not past the record: its batch's
 * offsets wait for its letters), applies the record again and dead-letters it; the first member must leave the
 * letter to it, or the record is dead-lettered twice (a doubled alert, a redrive applying it twice).
 */
class DeadLetterRevokedIT {

    private static final int SMALL_LIMIT = 4_000;
    private static final int DEFAULT_LIMIT = 1_048_588;

    @Test
    void aLetterWhosePartitionMovesDuringItsRetriesIsWrittenOnceByTheNextOwner() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-dlq-revoked");
                SinkService first = member(fixture, "z-first")) {
            fixture.produce(List.of(payment(1).build()));
            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L));
            await().atMost(Duration.ofSeconds(10)).until(first::isReady);

            fixture.deadLetterMaxMessageBytes(SMALL_LIMIT);
            // partition 0: the range assignor gives it to the member whose id sorts first, the one joining below
            TestTopic<String, byte[]> raw = new TestTopic<>(fixture.topics.name(Topics.PAYMENTS_ENRICHED),
                    Serdes.String(), Serdes.ByteArray());
            TestKafka.produceInTransaction(fixture.bootstrap, raw, List.of(new ProducerRecord<>(raw.name(), 0, "big",
                    "x".repeat(3 * SMALL_LIMIT).getBytes(StandardCharsets.UTF_8))));
            await().atMost(Duration.ofSeconds(30)).until(() -> SinkFixture.deadLetterFailures(first) >= 1);

            try (SinkService second = member(fixture, "a-second")) {
                // the second member owns partition 0 now: it applied the record again and is refused in turn
                await().atMost(Duration.ofSeconds(60)).until(() -> SinkFixture.deadLetterFailures(second) >= 1);

                fixture.deadLetterMaxMessageBytes(DEFAULT_LIMIT);
                await().atMost(Duration.ofSeconds(30)).until(() -> second.isReady() && first.isReady());
                SinkFixture.sleep(Duration.ofSeconds(1));
                assertThat(fixture.deadLetters()).extracting(letter -> letter.key()).containsExactly("big");
            }
        }
    }

    private static SinkService member(SinkFixture fixture, String clientId) {
        return SinkService.start(fixture.config, CrashPoint.NONE, Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId));
    }
}
