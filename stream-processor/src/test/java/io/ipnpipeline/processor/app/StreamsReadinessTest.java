package io.ipnpipeline.processor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/**
 * Found by review: a stream thread failing at every rebalance (partitions added to ipn.raw) left Streams
 * REBALANCING for good, and REBALANCING counted as ready, so nothing was processed behind a green probe.
 */
class StreamsReadinessTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final StreamsReadiness readiness = new StreamsReadiness(BOUND, nanos::get);

    @Test
    void readyWhileRunningOrRebalancingWithinTheBoundOnly() {
        readiness.onChange(State.REBALANCING, State.CREATED);

        assertThat(State.values()).filteredOn(readiness::isReady)
                .containsExactlyInAnyOrder(State.RUNNING, State.REBALANCING);
    }

    @Test
    void rebalancingLongerThanTheBoundIsUnready() {
        readiness.onChange(State.REBALANCING, State.RUNNING);
        advance(BOUND);
        assertThat(readiness.isReady(State.REBALANCING)).isTrue();

        advance(Duration.ofMillis(1));

        assertThat(readiness.isReady(State.REBALANCING)).isFalse();
        assertThat(readiness.rebalancingFor()).isEqualTo(BOUND.plusMillis(1));
    }

    @Test
    void theBoundCountsFromEnteringRebalancingNotFromTheLastStateChange() {
        readiness.onChange(State.REBALANCING, State.RUNNING);
        advance(BOUND.plusSeconds(1));
        // a replaced thread keeps Streams REBALANCING; a repeated notification must not restart the clock
        readiness.onChange(State.REBALANCING, State.REBALANCING);

        assertThat(readiness.isReady(State.REBALANCING)).isFalse();
    }

    @Test
    void runningAgainResetsTheClock() {
        readiness.onChange(State.REBALANCING, State.RUNNING);
        advance(BOUND.plusSeconds(1));
        readiness.onChange(State.RUNNING, State.REBALANCING);
        assertThat(readiness.isReady(State.RUNNING)).isTrue();

        readiness.onChange(State.REBALANCING, State.RUNNING);
        advance(Duration.ofSeconds(1));

        assertThat(readiness.isReady(State.REBALANCING)).isTrue();
        assertThat(readiness.rebalancingFor()).isEqualTo(Duration.ofSeconds(1));
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
