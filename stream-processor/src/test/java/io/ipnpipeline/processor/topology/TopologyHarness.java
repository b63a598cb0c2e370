package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.processor.errors.DeadLetterHandlers;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.processor.testdata.MappingBuilder;
import io.ipnpipeline.support.config.Env;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** One TopologyTestDriver over the real topology and the real Streams settings, with typed topics. */
final class TopologyHarness implements AutoCloseable {

    static final Instant RECEIVED_AT = Instant.parse("2025-06-01T12:00:00Z");

    final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> raw;
    final TestInputTopic<String, ChannelMapping> mappings;
    final TestOutputTopic<String, EnrichedPayment> enriched;
    final TestOutputTopic<String, byte[]> dlq;

    TopologyHarness(Path stateDir) {
        this(stateDir, Duration.ofDays(ProcessorConfig.DEFAULT_DEDUPE_RETENTION_DAYS));
    }

    TopologyHarness(Path stateDir, Duration retention) {
        this(stateDir, retention, DedupeStep.PURGE_SLICE);
    }

    /** With {@code purgeSlice} dedupe entries read per purge punctuation. */
    TopologyHarness(Path stateDir, int purgeSlice) {
        this(stateDir, Duration.ofDays(ProcessorConfig.DEFAULT_DEDUPE_RETENTION_DAYS), purgeSlice);
    }

    private TopologyHarness(Path stateDir, Duration retention, int purgeSlice) {
        TopicNames topics = TopicNames.defaults();
        ProcessorConfig config = ProcessorConfig.fromEnv(Env.of(Map.of(
                ProcessorConfig.STATE_DIR, stateDir.toString(),
                ProcessorConfig.DEDUPE_RETENTION_DAYS, Long.toString(retention.toDays()))));
        Properties props = config.streamsProperties();
        props.put(DeadLetterHandlers.METRICS_CONFIG, metrics);
        driver = new TopologyTestDriver(PaymentTopology.build(topics, config.dedupeRetention(), purgeSlice, metrics),
                props,
                RECEIVED_AT);
        raw = driver.createInputTopic(topics.name(Topics.IPN_RAW), Topics.IPN_RAW.keySerde().serializer(),
                Topics.IPN_RAW.valueSerde().serializer());
        mappings = driver.createInputTopic(topics.name(Topics.CHANNEL_MAPPINGS),
                Topics.CHANNEL_MAPPINGS.keySerde().serializer(), Topics.CHANNEL_MAPPINGS.valueSerde().serializer());
        enriched = driver.createOutputTopic(topics.name(Topics.PAYMENTS_ENRICHED),
                Topics.PAYMENTS_ENRICHED.keySerde().deserializer(),
                Topics.PAYMENTS_ENRICHED.valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.name(Topics.IPN_DLQ), Topics.IPN_DLQ.keySerde().deserializer(),
                Topics.IPN_DLQ.valueSerde().deserializer());
    }

    /** Sends an IPN as the gateway does: key payment_id, received-at header. */
    void send(IpnBuilder ipn) {
        send(ipn.key(), ipn.bytes());
    }

    void send(String key, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.IPN_RECEIVED_AT, RECEIVED_AT.toString().getBytes(StandardCharsets.UTF_8));
        IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "current")
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        raw.pipeInput(new TestRecord<>(key, body, headers, RECEIVED_AT));
    }

    /** Sends a record with exactly these headers and no others. */
    void sendWithHeaders(String key, byte[] body, Map<String, String> headerValues) {
        RecordHeaders headers = new RecordHeaders();
        headerValues.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        raw.pipeInput(new TestRecord<>(key, body, headers, RECEIVED_AT));
    }

    void map(MappingBuilder mapping) {
        mappings.pipeInput(mapping.key(), mapping.build());
    }

    void unmap(long openChannelId) {
        mappings.pipeInput(Long.toString(openChannelId), null);
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    List<EnrichedPayment> enrichedValues() {
        return enriched.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
