package io.ipnpipeline.processor.it;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;

/**
 * Found by review: an operator scaling out added partitions to ipn.raw (6 to 12) after the processor had run. Kafka
 * Streams then failed every stream thread at every rebalance (the changelogs still have 6), each failed thread was
 * replaced, and the processor stayed REBALANCING, "ready", processing nothing, forever, without exiting. Now it
 * refuses to start, naming both counts, and its real main exits non-zero.
 */
class PartitionsAddedIT {

    @Test
    void aProcessorWhoseStateNoLongerFitsIpnRawRefusesToStartInsteadOfHangingReady() throws Exception {
        ProcessorFixture fixture = new ProcessorFixture(TestInfra.bootstrapServers(), "processor-partitions");
        fixture.sendMapping(aMapping());
        try (ProcessorService running = ProcessorService.start(fixture.config())) {
            fixture.sendIpns(LongStream.rangeClosed(1, 5).mapToObj(id -> anIpn().paymentId(id)).toList());
            TestKafka.consume(fixture.bootstrap, fixture.enriched(), 5, Duration.ofSeconds(90));
            assertThat(running.fatalCause()).as("the first run builds the state the restart checks").isEmpty();
        }
        String rawTopic = fixture.topics.name(Topics.IPN_RAW);
        try (Admin admin = TestKafka.admin(fixture.bootstrap)) {
            admin.createPartitions(Map.of(rawTopic, NewPartitions.increaseTo(12))).all().get();
        }

        assertThatThrownBy(() -> ProcessorService.start(fixture.config()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(rawTopic + " has 12 partitions")
                .hasMessageContaining("has 6 (changelog " + fixture.applicationId + "-")
                .hasMessageContaining("README 'Changing the partition count of ipn.raw'");

        Path log = Path.of("target", "processor-child", fixture.applicationId + ".log");
        Process child = fixture.startChildProcess(log);
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("ERROR").contains(rawTopic + " has 12 partitions");
    }
}
