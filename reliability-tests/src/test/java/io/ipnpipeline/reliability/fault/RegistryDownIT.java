package io.ipnpipeline.reliability.fault;

import static org.awaitility.Awaitility.await;

import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.localstack.e2e.InJvmPipeline.Part;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.reliability.traffic.TestChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry publisher down while channels are registered: payments for the new channels park (never
 * dropped, never placed on a guess); when the publisher is back it reconciles the table into channel.mappings,
 * the parked payments are released and placed, and every finished one is commanded exactly once.
 */
class RegistryDownIT {

    private static final List<TestChannel> NEW_CHANNELS =
            List.of(TestChannel.number(41), TestChannel.number(42), TestChannel.number(43));

    @Test
    void mappingsChangedWhileThePublisherIsDownReleaseEveryParkedPaymentOnce() throws Exception {
        try (InJvmPipeline pipeline = InJvmPipeline.start("registry-down");
                FaultRun run = new FaultRun(pipeline)) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            PaymentPlans plans = new PaymentPlans(55, 5_500_000_000L, 40);
            run.send(plans.mixed(120));
            run.awaitTraffic();

            pipeline.stop(Part.REGISTRY);
            for (TestChannel channel : NEW_CHANNELS) {
                channel.upsert(pipeline.schema().dataSource());
            }
            run.send(plans.finishing(60, NEW_CHANNELS));
            run.awaitTraffic();
            // nothing published them: the new channels' payments wait, visibly
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> run.audit().payments().values().stream()
                            .filter(row -> row.statusWord().equals("awaiting_mapping")).count() >= 60);

            pipeline.start(Part.REGISTRY);

            run.assertNothingLostNothingTwice();
        }
    }
}
