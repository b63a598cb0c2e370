package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dlq list, show and redrive against the real broker: redriven records keep key and ipn.* headers; DLQ kept. The
 * sink's dead letters ({@code --sink}) go back to payments.enriched, and no letter goes to a topic it did not come
 * from.
 */
class DlqIT {

    private TopicNames topics;
    private Map<String, String> env;
    private TestTopic<String, byte[]> dlq;
    private TestTopic<String, byte[]> raw;
    private TestTopic<String, byte[]> sinkDlq;
    private TestTopic<String, byte[]> enriched;

    @BeforeEach
    void setUp() {
        topics = TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-dlq");
        env = Cli.env(topics, null);
        dlq = TestTopic.of(topics, Topics.IPN_DLQ);
        raw = TestTopic.of(topics, Topics.IPN_RAW);
        sinkDlq = TestTopic.of(topics, Topics.SINK_DLQ);
        enriched = new TestTopic<>(TestTopic.of(topics, Topics.PAYMENTS_ENRICHED).name(),
                Serdes.String(), Serdes.ByteArray());
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), dlq, List.of(
                letter("5077125051", "{\"payment_id\":5077125051,\"payment_status\":\"finishd\"}",
                        "unknown payment_status"),
                letter("5077125052", "not json", "not JSON")));
    }

    @Test
    void listsAndShowsWithReasons() {
        Cli.Result list = Cli.run(env, "dlq", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("2 dead letter(s)")
                .contains("   1  0/").contains("key=5077125051").contains("reason=unknown payment_status")
                .contains("   2  0/").contains("reason=not JSON");

        Cli.Result show = Cli.run(env, "dlq", "show", "2");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("key: 5077125052").contains("dlq.reason: not JSON")
                .contains("ipn.request_id: req-5077125052").contains("body:\nnot json");

        Cli.Result missing = Cli.run(env, "dlq", "show", "3");
        assertThat(missing.exitCode()).isEqualTo(4);
        assertThat(missing.err()).contains("no dead letter number 3 (there are 2");
    }

    @Test
    void redriveOneSendsItBackWithKeyAndIpnHeadersAndKeepsTheOriginal() {
        Cli.Result result = Cli.run(env, "dlq", "redrive", "1");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        List<ConsumerRecord<String, byte[]>> redriven = TestKafka.readAll(TestInfra.bootstrapServers(), raw);
        assertThat(redriven).hasSize(1);
        ConsumerRecord<String, byte[]> record = redriven.get(0);
        assertThat(record.key()).isEqualTo("5077125051");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("finishd");
        assertThat(headerNames(record)).containsExactly(HeaderNames.IPN_RECEIVED_AT, HeaderNames.IPN_REQUEST_ID,
                HeaderNames.IPN_SOURCE, HeaderNames.IPN_REDRIVEN_AT);
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), dlq)).hasSize(2);
    }

    @Test
    void redriveAllSendsEveryOne() {
        Cli.Result result = Cli.run(env, "dlq", "redrive", "all");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("2 record(s) sent");
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), raw)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("5077125051", "5077125052");
    }

    @Test
    void sinkDeadLettersAreListedAndRedrivenToPaymentsEnrichedNotIpnRaw() {
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), sinkDlq, List.of(
                sinkLetter("5077125061", "value too long for type character varying(64)"),
                sinkLetter("5077125062", "connection refused")));

        Cli.Result list = Cli.run(env, "dlq", "--sink", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).startsWith("2 dead letter(s) in " + sinkDlq.name())
                .contains("key=5077125061").contains("reason=value too long").contains("key=5077125062");

        Cli.Result result = Cli.run(env, "dlq", "--sink", "redrive", "all");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("2 record(s) sent to " + enriched.name());
        List<ConsumerRecord<String, byte[]>> redriven = TestKafka.readAll(TestInfra.bootstrapServers(), enriched);
        assertThat(redriven).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("5077125061", "5077125062");
        for (ConsumerRecord<String, byte[]> record : redriven) {
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(enrichedJson(record.key()));
            assertThat(headerNames(record)).containsExactly(HeaderNames.IPN_RECEIVED_AT,
                    HeaderNames.IPN_REQUEST_ID, HeaderNames.IPN_SOURCE, HeaderNames.IPN_REDRIVEN_AT);
            // the partition the processor writes this payment to, so the sink sees its statuses in order
            assertThat(record.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(
                    record.key().getBytes(StandardCharsets.UTF_8))) % Topics.PAYMENTS_ENRICHED.defaultPartitions());
        }
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), raw)).isEmpty();
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), sinkDlq)).hasSize(2);
    }

    /** IPN_DLQ_TOPIC pointed at the sink's dead letters: an enriched payment must not go to ipn.raw. */
    @Test
    void redriveRefusesLettersThatCameFromAnotherTopicAndSendsNothing() {
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), sinkDlq,
                List.of(sinkLetter("5077125063", "connection refused")));
        env.put(Topics.IPN_DLQ.envVariable(), sinkDlq.name());

        Cli.Result result = Cli.run(env, "dlq", "redrive", "all");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("dead letter 1 came from " + enriched.name() + ", not " + raw.name())
                .contains("nothing sent").contains("dlq --sink");
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), raw)).isEmpty();
    }

    /** A dead letter as the sink writes it: the enriched record's headers, then the dead-letter ones. */
    private ProducerRecord<String, byte[]> sinkLetter(String key, String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HeaderNames.IPN_RECEIVED_AT, "2024-05-01T10:00:00Z");
        headers.put(HeaderNames.IPN_REQUEST_ID, "req-" + key);
        headers.put(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY);
        headers.put(HeaderNames.DLQ_REASON, reason);
        headers.put(HeaderNames.DLQ_SOURCE_TOPIC, enriched.name());
        headers.put(HeaderNames.DLQ_SOURCE_PARTITION, "3");
        headers.put(HeaderNames.DLQ_SOURCE_OFFSET, "17");
        headers.put(HeaderNames.DLQ_FAILED_AT, "2024-05-01T10:00:05Z");
        return sinkDlq.record(key, enrichedJson(key).getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String enrichedJson(String key) {
        return "{\"payment_id\":" + key + ",\"status\":\"finished\",\"status_word\":\"confirmed\"}";
    }

    /** A dead letter as the processor writes it: the gateway's headers, then the dead-letter ones. */
    private ProducerRecord<String, byte[]> letter(String key, String body, String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HeaderNames.IPN_RECEIVED_AT, "2024-05-01T10:00:00Z");
        headers.put(HeaderNames.IPN_REQUEST_ID, "req-" + key);
        headers.put(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY);
        headers.put(HeaderNames.DLQ_REASON, reason);
        headers.put(HeaderNames.DLQ_SOURCE_TOPIC, raw.name());
        headers.put(HeaderNames.DLQ_SOURCE_PARTITION, "0");
        headers.put(HeaderNames.DLQ_SOURCE_OFFSET, "42");
        return dlq.record(key, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static List<String> headerNames(ConsumerRecord<String, byte[]> record) {
        List<String> names = new ArrayList<>();
        for (Header header : record.headers()) {
            names.add(header.key());
        }
        return names;
    }
}
