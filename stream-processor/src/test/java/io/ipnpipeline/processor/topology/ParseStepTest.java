package io.ipnpipeline.processor.topology;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Step 1: every unusable record reaches ipn.dlq unchanged with its reason, and processing goes on (contract 2). */
class ParseStepTest {

    @TempDir
    Path stateDir;
    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(stateDir);
        harness.map(aMapping());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    static Stream<Arguments> poisonRecords() {
        return Stream.of(
                Arguments.of("not JSON", "5077125051", "{\"payment_id\": 5077125051, ".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("empty body", "5077125051", new byte[0]),
                Arguments.of("not a JSON object", "5077125051", "[1,2,3]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("no numeric payment_id", "5077125051", anIpn().without("payment_id").bytes()),
                Arguments.of("no numeric payment_id", "5077125051", anIpn().rawField("payment_id", "\"abc\"").bytes()),
                Arguments.of("unknown payment_status", "5077125051", anIpn().status("paid-ish").bytes()),
                Arguments.of("unknown payment_status", "5077125051", anIpn().without("payment_status").bytes()),
                Arguments.of("price_amount is not a number", "5077125051",
                        anIpn().rawField("price_amount", "\"2,50\"").bytes()),
                Arguments.of("actually_paid is not a number", "5077125051",
                        anIpn().rawField("actually_paid", "{\"v\":1}").bytes()),
                // found by review: rounding this to cents held the stream thread for close to a minute
                Arguments.of("price_amount is out of range", "5077125051",
                        anIpn().rawField("price_amount", "1e99999999").bytes()),
                // found by review: parked, it could not be read back, and blocked its channel's releases
                Arguments.of("pay_amount is out of range", "5077125051",
                        anIpn().rawField("pay_amount", "\"1" + "0".repeat(1500) + "\"").bytes()),
                Arguments.of("record key does not match payment_id", "999", anIpn().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisonRecords")
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextIpnIsStillProcessed(String reason, String key, byte[] body) {
        harness.send(key, body);
        harness.send(anIpn().paymentId(77));

        TestRecord<String, byte[]> dead = harness.dlq.readRecord();
        assertThat(dead.key()).isEqualTo(key);
        assertThat(dead.value()).isEqualTo(body);
        assertThat(header(dead.headers(), HeaderNames.DLQ_REASON)).isEqualTo(reason);
        assertThat(header(dead.headers(), HeaderNames.DLQ_SOURCE_TOPIC)).isEqualTo(Topics.IPN_RAW.defaultName());
        assertThat(header(dead.headers(), HeaderNames.DLQ_SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), HeaderNames.DLQ_SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead.headers(), HeaderNames.DLQ_FAILED_AT)).isNotBlank();
        assertThat(header(dead.headers(), HeaderNames.IPN_RECEIVED_AT))
                .as("original headers kept").isEqualTo(TopologyHarness.RECEIVED_AT.toString());
        assertThat(harness.dlq.isEmpty()).isTrue();
        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::paymentId).containsExactly(77L);
        assertThat(harness.metrics.count(ProcessorMetrics.DLQ, "stage", "parse")).isEqualTo(1);
    }

    @Test
    void aRecordWithoutTrustedProvenanceGoesToTheDeadLetterTopic() {
        IpnBuilder ipn = anIpn().paymentId(41);
        harness.sendWithHeaders(ipn.key(), ipn.bytes(), Map.of());
        harness.sendWithHeaders(ipn.key(), ipn.bytes(), Map.of(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY));

        assertThat(harness.dlq.readValuesToList()).hasSize(2);
        assertThat(harness.enrichedValues()).isEmpty();
        assertThat(harness.metrics.count(ProcessorMetrics.DLQ, "stage", "parse")).isEqualTo(2);
    }

    @Test
    void anUnsignedRecordIsAcceptedOnlyFromReconciliation() {
        IpnBuilder ipn = anIpn().paymentId(42);
        harness.sendWithHeaders(ipn.key(), ipn.bytes(), IpnProvenance.fromReconciliation());

        assertThat(harness.dlq.isEmpty()).isTrue();
        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::paymentId).containsExactly(42L);
    }

    @Test
    void amountsAreExactDecimalsAndStringIdsAreAccepted() {
        harness.send(anIpn().paymentId(5).rawField("payment_id", "\"5\"").rawField("price_amount", "\"2.5\"")
                .rawField("pay_amount", "0.1000000000000000055511151231257827"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.paymentId()).isEqualTo(5L);
        assertThat(payment.priceAmount()).isEqualByComparingTo("2.50");
        assertThat(payment.payAmount()).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    }

    @Test
    void theReceivedAtHeaderIsCarried() {
        harness.send(anIpn());

        assertThat(harness.enriched.readValue().receivedAt()).isEqualTo(TopologyHarness.RECEIVED_AT);
    }

    @Test
    void aReceivedAtTheLedgerCannotStoreFallsBackToTheRecordTimestamp() {
        IpnBuilder ipn = anIpn().paymentId(43);
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "current"));
        headers.put(HeaderNames.IPN_RECEIVED_AT, "+10000-01-01T00:00:00Z");
        harness.sendWithHeaders(ipn.key(), ipn.bytes(), headers);

        assertThat(harness.enriched.readValue().receivedAt()).isEqualTo(TopologyHarness.RECEIVED_AT);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
