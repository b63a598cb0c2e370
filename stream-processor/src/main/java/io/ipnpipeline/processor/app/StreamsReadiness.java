package io.ipnpipeline.processor.app;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness from the Kafka Streams state. A rebalance is a normal pause that needs no restart, so REBALANCING is
 * ready, but only for a while: a thread that keeps failing during its rebalance (or a restore that cannot finish)
 * leaves Streams REBALANCING for good, processing nothing, and "ready" would hide it.
 */
final class StreamsReadiness implements KafkaStreams.StateListener {

    private static final long NOT_REBALANCING = Long.MIN_VALUE;

    private final Duration maxRebalance;
    private final LongSupplier nanoTime;
    private volatile long rebalancingSince = NOT_REBALANCING;

    StreamsReadiness(Duration maxRebalance, LongSupplier nanoTime) {
        this.maxRebalance = maxRebalance;
        this.nanoTime = nanoTime;
    }

    StreamsReadiness(Duration maxRebalance) {
        this(maxRebalance, System::nanoTime);
    }

    @Override
    public void onChange(KafkaStreams.State next, KafkaStreams.State previous) {
        if (next != KafkaStreams.State.REBALANCING) {
            rebalancingSince = NOT_REBALANCING;
        } else if (previous != KafkaStreams.State.REBALANCING) {
            rebalancingSince = nanoTime.getAsLong();
        }
    }

    /** Running, or rebalancing for no longer than the bound. */
    boolean isReady(KafkaStreams.State state) {
        if (state == KafkaStreams.State.RUNNING) {
            return true;
        }
        long since = rebalancingSince;
        return state == KafkaStreams.State.REBALANCING
                && (since == NOT_REBALANCING || nanoTime.getAsLong() - since <= maxRebalance.toNanos());
    }

    /** How long Streams has been rebalancing, zero when it is not. */
    Duration rebalancingFor() {
        long since = rebalancingSince;
        return since == NOT_REBALANCING ? Duration.ZERO : Duration.ofNanos(nanoTime.getAsLong() - since);
    }
}
