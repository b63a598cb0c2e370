package io.ipnpipeline.processor.it;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kill -9 mid-stream, restart: a read_committed consumer of payments.enriched sees every payment exactly once
 * (no duplicate, no gap), and retries of already-processed IPNs stay deduplicated across the crash.
 */
class ProcessorCrashRecoveryIT {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorCrashRecoveryIT.class);
    private static final int BATCH = 250;
    private static final int BATCHES_BEFORE_KILL = 8;
    private static final int BATCHES_AFTER_KILL = 2;
    private static final long FIRST_ID = 1_000_000L;

    @Test
    void aKilledProcessorRestartsWithNoDuplicateAndNoGap() throws Exception {
        ProcessorFixture fixture = new ProcessorFixture(TestInfra.bootstrapServers(), "processor-crash");
        fixture.sendMapping(aMapping());
        for (int batch = 0; batch < BATCHES_BEFORE_KILL; batch++) {
            fixture.sendIpns(batch(batch));
        }

        Process child = fixture.startChildProcess(Path.of("target", "processor-child", fixture.applicationId + ".log"));
        try {
            TestKafka.consume(fixture.bootstrap, fixture.enriched(), 1, Duration.ofSeconds(90));
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        int seenAtKill = TestKafka.readAll(fixture.bootstrap, fixture.enriched()).size();
        LOG.info("killed the processor after {} of {} committed outputs", seenAtKill, total());
        assertThat(seenAtKill).as("killed mid-stream").isLessThan(BATCHES_BEFORE_KILL * BATCH);

        for (int batch = BATCHES_BEFORE_KILL; batch < BATCHES_BEFORE_KILL + BATCHES_AFTER_KILL; batch++) {
            fixture.sendIpns(batch(batch));
        }
        try (ProcessorService restarted = ProcessorService.start(fixture.config())) {
            fixture.awaitCaughtUp(Duration.ofSeconds(120));
            // NOWPayments retries of payments handled before the crash: the dedupe state survived it
            fixture.sendIpns(batch(0));
            fixture.awaitCaughtUp(Duration.ofSeconds(60));
            assertThat(restarted.metrics().count(ProcessorMetrics.DEDUPE_DROPPED, "kind", "repeat"))
                    .isGreaterThanOrEqualTo(BATCH);
        }

        List<ConsumerRecord<String, EnrichedPayment>> output = TestKafka.readAll(fixture.bootstrap, fixture.enriched());
        assertThat(output).extracting(record -> record.value().statusWord()).containsOnly(StatusWord.CONFIRMED);
        assertThat(output).extracting(record -> record.value().paymentId())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(FIRST_ID, FIRST_ID + total()).boxed().toList());
    }

    private static int total() {
        return (BATCHES_BEFORE_KILL + BATCHES_AFTER_KILL) * BATCH;
    }

    private static List<IpnBuilder> batch(int index) {
        long from = FIRST_ID + (long) index * BATCH;
        return LongStream.range(from, from + BATCH).mapToObj(id -> anIpn().paymentId(id)).toList();
    }
}
