package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.consume.ConsumerLoop;
import io.ipnpipeline.support.kafka.TopicCreator;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter topic refuses a record for a reason retrying will not cure (here: larger than the topic's
 * max.message.bytes, a non-retriable RecordTooLargeException). The sink may not drop the record (its offset would
 * be committed past it), so it keeps retrying, but visibly: unready, {@code sink_dead_letter_failures} counting,
 * ERROR logged; a letter already acknowledged is not written again; and it resumes once the topic accepts it. A
 * deleted dead-letter topic stalls it the same way, without the group dropping the member.
 */
class DeadLetterTopicRefusesIT {

    private static final int SMALL_LIMIT = 4_000;
    private static final int SHORT_POLL_INTERVAL_MS = 15_000;

    @Test
    void aRefusedDeadLetterMakesTheSinkUnreadyAndCountedUntilTheTopicAcceptsIt() throws Exception {
        Logger loopLog = (Logger) LoggerFactory.getLogger(ConsumerLoop.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        loopLog.addAppender(events);
        try (SinkFixture fixture = new SinkFixture("sink-dlq-refuses"); SinkService sink = fixture.start()) {
            fixture.produce(List.of(payment(1).build()));
            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L));
            await().atMost(Duration.ofSeconds(10)).until(sink::isReady);

            fixture.deadLetterMaxMessageBytes(SMALL_LIMIT);
            // one transaction, so both land in one batch: the small letter is acknowledged, the big one refused
            TestTopic<String, byte[]> raw = new TestTopic<>(fixture.topics.name(Topics.PAYMENTS_ENRICHED),
                    Serdes.String(), Serdes.ByteArray());
            TestKafka.produceInTransaction(fixture.bootstrap, raw, List.of(
                    raw.record("small", "not an enriched payment".getBytes(StandardCharsets.UTF_8)),
                    raw.record("big", "x".repeat(3 * SMALL_LIMIT).getBytes(StandardCharsets.UTF_8))));
            fixture.produce(List.of(payment(2).user(2).build()));

            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isReady());
            await().atMost(Duration.ofSeconds(10)).until(() -> SinkFixture.deadLetterFailures(sink) >= 2);
            assertThat(List.copyOf(events.list)).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).contains("dead-letter topic refuses");
            });
            assertThat(fixture.deadLetters()).extracting(letter -> letter.key()).containsExactly("small");

            fixture.deadLetterMaxMessageBytes(1_048_588);
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.deadLetters().size() >= 2);
            await().atMost(Duration.ofSeconds(30)).until(sink::isReady);
            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L, 2L));
            assertThat(fixture.deadLetters()).extracting(letter -> letter.key())
                    .containsExactlyInAnyOrder("small", "big");
        } finally {
            loopLog.detachAppender(events);
        }
    }

    /**
     * An operator deleted the dead-letter topic. Each attempt to write the letters must fail within a few seconds
     * (the producer's max.block.ms, once per attempt, not once per letter): with Kafka's default 60 s per letter,
     * three letters would outlast max.poll.interval.ms, the group would drop the member and the batch would come back
     * in a loop. The sink retries, polling in between, without losing its partitions, and writes each letter once
     * when the topic is back.
     */
    @Test
    void aDeletedDeadLetterTopicStallsTheSinkWithoutLeavingTheGroupUntilItIsBack() throws Exception {
        Logger loopLog = (Logger) LoggerFactory.getLogger(ConsumerLoop.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        loopLog.addAppender(events);
        try (SinkFixture fixture = new SinkFixture("sink-dlq-missing");
                SinkService sink = SinkService.start(fixture.config, CrashPoint.NONE,
                        Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, SHORT_POLL_INTERVAL_MS))) {
            fixture.produce(List.of(payment(1).build()));
            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L));
            await().atMost(Duration.ofSeconds(10)).until(sink::isReady);
            String dlq = fixture.topics.name(Topics.SINK_DLQ);
            try (Admin admin = TestKafka.admin(fixture.bootstrap)) {
                admin.deleteTopics(List.of(dlq)).all().get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(dlq));
            }
            events.list.clear();

            TestTopic<String, byte[]> raw = new TestTopic<>(fixture.topics.name(Topics.PAYMENTS_ENRICHED),
                    Serdes.String(), Serdes.ByteArray());
            List<String> keys = List.of("bad-1", "bad-2", "bad-3");
            TestKafka.produceInTransaction(fixture.bootstrap, raw, keys.stream()
                    .map(key -> raw.record(key, "not an enriched payment".getBytes(StandardCharsets.UTF_8)))
                    .toList());
            fixture.produce(List.of(payment(2).user(2).build()));

            // two failed attempts well within one default metadata wait (60 s) per letter
            await().atMost(Duration.ofSeconds(30)).until(() -> SinkFixture.deadLetterFailures(sink) >= 2);
            assertThat(sink.isReady()).isFalse();
            // stalled for longer than max.poll.interval.ms: a member that stopped polling would have been dropped
            SinkFixture.sleep(Duration.ofMillis(SHORT_POLL_INTERVAL_MS + 5_000L));

            try (Admin admin = TestKafka.admin(fixture.bootstrap)) {
                TopicCreator.ensure(admin, fixture.topics, List.of(Topics.SINK_DLQ), (short) 1);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.deadLetters().size() >= keys.size());
            await().atMost(Duration.ofSeconds(30)).until(sink::isReady);
            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L, 2L));
            assertThat(fixture.deadLetters()).extracting(letter -> letter.key())
                    .containsExactlyInAnyOrderElementsOf(keys);
            assertThat(List.copyOf(events.list)).extracting(ILoggingEvent::getFormattedMessage)
                    .as("the group never took the partitions away")
                    .noneMatch(message -> message.startsWith("revoked"));
        } finally {
            loopLog.detachAppender(events);
        }
    }
}
