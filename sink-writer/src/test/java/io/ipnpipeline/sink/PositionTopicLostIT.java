package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestTopic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The outbox position topic loses what it had while PostgreSQL keeps its mark (OUTBOX_POSITION_TOPIC changed, the
 * topic recreated, the broker's data lost): Kafka's position reads 0. Publishing from it would issue every command
 * still in the outbox a second time.
 */
class PositionTopicLostIT {

    @SuppressWarnings("try") // each service only has to run for its block
    @Test
    void aNewPositionTopicNeitherRepublishesNorLosesACommand() {
        try (SinkFixture fixture = new SinkFixture("sink-position-renamed")) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            assertThat(Tables.count(db, "SELECT position FROM command_outbox_published")).isEqualTo(6);

            Map<String, String> env = new HashMap<>(fixture.topics.asEnv());
            env.put(Topics.OUTBOX_POSITION.envVariable(), TestNames.unique("renamed-position"));
            TopicNames renamed = TopicNames.fromEnv(env::get);
            try (SinkService sink = SinkService.start(fixture.config.withTopics(renamed))) {
                await().atMost(Duration.ofSeconds(60)).until(sink::isReady);
                fixture.produce(SinkFixture.finishedPayments(4, 4));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 4));
            }
            // the new topic holds the position again: the next start neither reads back nor republishes
            try (SinkService sink = SinkService.start(fixture.config.withTopics(renamed))) {
                fixture.produce(SinkFixture.finishedPayments(5, 5));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 5));
            }
        }
    }

    /**
     * A new cluster: every topic is new, and outbox rows above the mark (written while no publisher ran) cannot be
     * told apart from commands published to the lost cluster after the mark. Nothing is published, the failure is
     * counted and the backlog shown, until the operator records what was issued and writes the mark as the position.
     */
    @SuppressWarnings("try")
    @Test
    void aNewClusterWithUndecidedRowsStopsThePublisherLoudlyUntilTheOperatorDecides() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-position-cluster")) {
            DataSource db = fixture.schema.dataSource();
            try (SinkService sink = fixture.start()) {
                fixture.produce(SinkFixture.finishedPayments(1, 3));
                fixture.assertExactlyOneInviteAndPayoutFor(SinkFixture.ids(1, 3));
            }
            TopicNames cluster = TestKafka.createTopics(fixture.bootstrap, "sink-position-new-cluster");
            try (SinkService applyOnly = SinkService.start(fixture.config.withTopics(cluster).withoutPublisher())) {
                produce(fixture, cluster, SinkFixture.finishedPayments(4, 4));
                SinkFixture.awaitFinished(db, 4);
            }

            try (SinkService sink = SinkService.start(fixture.config.withTopics(cluster))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> failures(sink) >= 2);
                assertThat(sink.isReady()).isFalse();
                assertThat(sink.metrics().registry().scrape()).contains("sink_outbox_unpublished 2.0");
                assertThat(commandIds(fixture, cluster)).isEmpty();

                // the operator's decision: the invite was carried out (say), the payout not; then the position
                Tables.execute(db, "INSERT INTO command_issued (command_id) VALUES ('" + CommandIds.invite(4) + "')");
                writePosition(fixture, cluster, 6);
                await().atMost(Duration.ofSeconds(60)).until(sink::isReady);
                await().atMost(Duration.ofSeconds(30)).until(() -> !commandIds(fixture, cluster).isEmpty());
                SinkFixture.sleep(Duration.ofMillis(1500));
                assertThat(commandIds(fixture, cluster)).containsExactly(CommandIds.payout(4));
            }
        }
    }

    private static double failures(SinkService sink) {
        return sink.metrics().registry().get("sink_outbox_publisher_failures").counter().count();
    }

    private static void produce(SinkFixture fixture, TopicNames topics, List<EnrichedPayment> payments) {
        TestTopic<String, EnrichedPayment> topic = TestTopic.of(topics, Topics.PAYMENTS_ENRICHED);
        TestKafka.produceInTransaction(fixture.bootstrap, topic,
                payments.stream().map(p -> topic.record(Long.toString(p.paymentId()), p)).toList());
    }

    private static List<String> commandIds(SinkFixture fixture, TopicNames topics) {
        return Stream.concat(
                TestKafka.readAll(fixture.bootstrap, TestTopic.of(topics, Topics.COMMANDS_INVITE)).stream()
                        .map(r -> r.value().commandId()),
                TestKafka.readAll(fixture.bootstrap, TestTopic.of(topics, Topics.COMMANDS_PAYOUT)).stream()
                        .map(r -> r.value().commandId())).toList();
    }

    /** What the refusal tells the operator to do with kafka-console-producer.sh: a plain record, key the publisher. */
    private static void writePosition(SinkFixture fixture, TopicNames topics, long position) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(TestKafka.producerConfig(fixture.bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topics.name(Topics.OUTBOX_POSITION), fixture.config.transactionalId(),
                    Long.toString(position))).get(10, TimeUnit.SECONDS);
        }
    }
}
