package io.ipnpipeline.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PollTrackerTest {

    @Test
    void theFirstPollOverTheLimitCrossesItAndLaterOnesAreBeyond() {
        PollTracker tracker = new PollTracker(50, 100);
        for (int i = 0; i < 50; i++) {
            assertThat(tracker.record("PGP-1|-1001")).isEqualTo(PollTracker.Poll.WITHIN);
        }
        assertThat(tracker.record("PGP-1|-1001")).isEqualTo(PollTracker.Poll.CROSSED);
        assertThat(tracker.record("PGP-1|-1001")).isEqualTo(PollTracker.Poll.BEYOND);
        assertThat(tracker.record("PGP-2|-1001")).isEqualTo(PollTracker.Poll.WITHIN);
    }

    @Test
    void memoryIsBoundedByEvictingTheLeastRecentlyPolledOrder() {
        PollTracker tracker = new PollTracker(50, 3);
        for (int i = 0; i < 1_000; i++) {
            tracker.record("PGP-" + i + "|-1001");
        }
        assertThat(tracker.tracked()).isEqualTo(3);
    }

    @Test
    void metricsCountOrdersOnceAndPollsBeyondTheLimitWithoutOrderLabels() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatewayMetrics metrics = new GatewayMetrics(registry);
        for (int i = 0; i < 53; i++) {
            metrics.statusPolled("PGP-7|-1001");
        }
        assertThat(registry.get("gateway.status.orders.over.limit").counter().count()).isEqualTo(1);
        assertThat(registry.get("gateway.status.polls.over.limit").counter().count()).isEqualTo(3);
        assertThat(registry.getMeters()).allSatisfy(meter ->
                assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().contains("PGP-")));
    }
}
