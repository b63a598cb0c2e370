package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.TopicCreator;
import io.ipnpipeline.testsupport.PostgresServer;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/** One test class's sink: its own topics, schema, consumer group and transactional id. */
final class SinkFixture implements AutoCloseable {

    final String bootstrap = TestInfra.bootstrapServers();
    final TopicNames topics;
    final TestSchema schema;
    final SinkConfig config;

    SinkFixture(String testName) {
        this(testName, TestInfra.postgres());
    }

    SinkFixture(String testName, PostgresServer server) {
        this(testName, server, UnaryOperator.identity());
    }

    /** A sink whose {@code PIPELINE_JDBC_URL} is the schema's, rewritten (e.g. to pass through a proxy). */
    SinkFixture(String testName, PostgresServer server, UnaryOperator<String> jdbcUrl) {
        topics = TestKafka.createTopics(bootstrap, testName);
        schema = TestSchema.create(server, testName);
        Map<String, String> env = new HashMap<>(schema.env());
        env.put(DatabaseConfig.JDBC_URL, jdbcUrl.apply(schema.jdbcUrl()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("SINK_CONSUMER_GROUP", TestNames.unique(testName + "-group"));
        env.put("SINK_TRANSACTIONAL_ID", TestNames.unique(testName + "-publisher"));
        env.put("SINK_OPS_PORT", "0");
        env.put("SINK_BATCH_MAX_WAIT_MS", "20");
        env.put("SINK_OUTBOX_POLL_MS", "50");
        env.put("SINK_SHUTDOWN_TIMEOUT_MS", "5000");
        config = SinkConfig.fromEnv(Env.of(env)).withTopics(topics);
    }

    SinkService start() {
        return SinkService.start(config);
    }

    SinkService start(CrashPoint crash) {
        return SinkService.start(config, crash);
    }

    void produce(List<EnrichedPayment> payments) {
        TestTopic<String, EnrichedPayment> topic = TestTopic.of(topics, Topics.PAYMENTS_ENRICHED);
        TestKafka.produceInTransaction(bootstrap, topic,
                payments.stream().map(p -> topic.record(Long.toString(p.paymentId()), p)).toList());
    }

    /**
     * Deletes these topics, waits until the broker no longer lists them, and creates the pipeline's missing topics
     * again: the same names with new topic ids, as after a lost Kafka volume or an operator's recreate.
     */
    void recreateTopics(List<String> names) throws Exception {
        try (Admin admin = TestKafka.admin(bootstrap)) {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Set<String> listed = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                return names.stream().noneMatch(listed::contains);
            });
            TopicCreator.ensure(admin, topics, Topics.all(), (short) 1);
        }
    }

    /** Sets the sink dead-letter topic's {@code max.message.bytes}, so a test can make the broker refuse letters. */
    void deadLetterMaxMessageBytes(int bytes) throws Exception {
        try (Admin admin = TestKafka.admin(bootstrap)) {
            ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, topics.name(Topics.SINK_DLQ));
            admin.incrementalAlterConfigs(Map.of(dlq, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                    AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
        }
    }

    /** The sink's count of dead letters it could not write ({@code sink_dead_letter_failures}). */
    static double deadLetterFailures(SinkService sink) {
        return sink.metrics().registry().get("sink_dead_letter_failures").counter().count();
    }

    void produceRaw(String key, String value) {
        TestTopic<String, byte[]> topic = new TestTopic<>(topics.name(Topics.PAYMENTS_ENRICHED), Serdes.String(),
                Serdes.ByteArray());
        TestKafka.produceInTransaction(bootstrap, topic,
                List.of(topic.record(key, value.getBytes(StandardCharsets.UTF_8))));
    }

    List<ConsumerRecord<String, InviteCommand>> invites() {
        return TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.COMMANDS_INVITE));
    }

    List<ConsumerRecord<String, PayoutCommand>> payouts() {
        return TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.COMMANDS_PAYOUT));
    }

    List<ConsumerRecord<String, byte[]>> deadLetters() {
        return TestKafka.readAll(bootstrap, TestTopic.of(topics, Topics.SINK_DLQ));
    }

    /** Waits for the commands to arrive, then checks for a while that no more come: exactly these, once each. */
    void assertExactlyOneInviteAndPayoutFor(List<Long> paymentIds) {
        await().atMost(Duration.ofSeconds(60)).until(() -> invites().size() >= paymentIds.size()
                && payouts().size() >= paymentIds.size());
        sleep(Duration.ofMillis(1500));
        List<String> expectedInvites = paymentIds.stream().map(CommandIds::invite).toList();
        List<String> expectedPayouts = paymentIds.stream().map(CommandIds::payout).toList();
        assertThat(invites()).extracting(r -> r.value().commandId())
                .containsExactlyInAnyOrderElementsOf(expectedInvites);
        assertThat(payouts()).extracting(r -> r.value().commandId())
                .containsExactlyInAnyOrderElementsOf(expectedPayouts);
        for (ConsumerRecord<String, InviteCommand> invite : invites()) {
            assertThat(invite.key()).isEqualTo(Long.toString(invite.value().paymentId()));
            assertThat(new String(invite.headers().lastHeader(CommandIds.HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo(invite.value().commandId());
        }
    }

    /** Waits until {@code payments} ledger rows have finished. */
    static void awaitFinished(DataSource db, int payments) {
        await().atMost(Duration.ofSeconds(60)).until(() -> Tables.count(db,
                "SELECT count(*) FROM payments WHERE finished_at IS NOT NULL") == payments);
    }

    static List<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Payments {@code from..to}, each confirming then finished, user 900 + id. */
    static List<EnrichedPayment> finishedPayments(long from, long to) {
        List<EnrichedPayment> records = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            records.add(payment(id).status(PaymentStatus.CONFIRMING).user(900 + id).build());
            records.add(payment(id).user(900 + id).build());
        }
        return records;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        schema.close();
    }
}
