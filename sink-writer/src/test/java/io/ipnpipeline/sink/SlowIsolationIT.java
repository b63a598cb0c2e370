package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.sink.consume.ConsumerLoop;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import io.ipnpipeline.contracts.topic.Topics;
import java.util.HashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A record-by-record isolation that takes longer than max.poll.interval.ms (here 5 s; in production 300 s, which a
 * 10,000-record isolation against a remote database can exceed). The consumer must stay in the group while the
 * database thread works: dropped, it would fail its offset commit, redo the batch and dead-letter its bad records
 * again, round after round.
 */
class SlowIsolationIT {

    private static final Set<Long> BAD = Set.of(20L, 40L);
    private static final int RECORDS = 60;
    private static final int MORE = 20;

    @Test
    @SuppressWarnings("try") // the service only has to run for the block; closing it is the point
    void anIsolationLongerThanThePollIntervalDeadLettersEachBadRecordOnceAndCommits() throws Exception {
        Logger loopLog = (Logger) LoggerFactory.getLogger(ConsumerLoop.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        loopLog.addAppender(events);
        try (SinkFixture fixture = new SinkFixture("sink-slow-isolation")) {
            DataSource db = fixture.schema.dataSource();
            // ~0.2 s per ledger statement: the isolation of 60 records, one transaction each, takes ~12 s
            Tables.execute(db, """
                    CREATE FUNCTION slow_statement() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        PERFORM pg_sleep(0.2);
                        RETURN NULL;
                    END $$""");
            Tables.execute(db, "CREATE TRIGGER slow_statement AFTER INSERT OR UPDATE ON payments"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION slow_statement()");
            List<EnrichedPayment> records = new ArrayList<>();
            for (long id = 1; id <= RECORDS; id++) {
                records.add(BAD.contains(id) ? payment(id).user(id).rawIpn("{not json").build()
                        : payment(id).user(id).build());
            }
            fixture.produce(records);

            try (SinkService sink = SinkService.start(fixture.config, CrashPoint.NONE,
                    Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 5_000))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> List.copyOf(events.list).stream()
                        .anyMatch(event -> event.getFormattedMessage().contains("applying record by record")));
                // records arriving during the isolation make the consumer wait for it with the next batch in hand
                fixture.produce(LongStream.rangeClosed(RECORDS + 1, RECORDS + MORE)
                        .mapToObj(id -> payment(id).user(id).build()).toList());

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> everythingCommitted(fixture));
                fixture.assertExactlyOneInviteAndPayoutFor(LongStream.rangeClosed(1, RECORDS + MORE)
                        .filter(id -> !BAD.contains(id)).boxed().toList());
                assertThat(fixture.deadLetters()).extracting(letter -> letter.key())
                        .containsExactlyInAnyOrder("20", "40");
            }
        } finally {
            loopLog.detachAppender(events);
        }
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("offset commit failed"));
    }

    /**
     * The sink group has committed every record: each partition's committed offset is one short of its end, the
     * transaction's commit marker (a partition no record went to has an end of 0).
     */
    private static boolean everythingCommitted(SinkFixture fixture) throws Exception {
        try (Admin admin = TestKafka.admin(fixture.bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    fixture.config.consumerGroup()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            String topic = fixture.topics.name(Topics.PAYMENTS_ENRICHED);
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || committed.get(end.getKey()) != null
                    && committed.get(end.getKey()).offset() == end.getValue().offset() - 1);
        }
    }
}
