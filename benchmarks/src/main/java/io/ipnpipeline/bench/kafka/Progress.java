package io.ipnpipeline.bench.kafka;

import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.infra.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures a consumer group's steady rate through a topic: the clock starts when the group has committed
 * {@link #START_FRACTION} of the target and stops when it has committed all of it (and any extra condition
 * holds). Starting at 25 % leaves out JVM start-up, the group join and the JIT's work, identically for a service
 * and its limit: on 2 shared cores the C2 compiler thread of a service with a real per-record path (parse, state,
 * serialise) was seen to use more CPU than its stream thread for the first few hundred thousand records, which a
 * 10 % start (100,000 of 1M records, ~2.5 s) left inside the measured window.
 */
public final class Progress {

    public static final double START_FRACTION = 0.25;
    private static final long POLL_MS = 50;

    private Progress() {
    }

    /** Result: the seconds between the start fraction and completion, and the records they cover. */
    public record Timing(double seconds, long records, long wallMillisFromLaunch) {
        public double rate() {
            return records / seconds;
        }
    }

    public static Timing measure(KafkaOps kafka, String group, String topic, Map<TopicPartition, Long> target,
            long launchedAtNanos, Duration timeout, List<ChildJvm> watched, BooleanSupplier alsoDone) {
        long total = kafka.total(target);
        long startAt = (long) Math.ceil(total * START_FRACTION);
        long[] start = {0};
        long[] startCommitted = {0};
        Waits.until(group + " through " + topic, timeout, POLL_MS, () -> {
            watched.forEach(ChildJvm::checkAlive);
            watched.forEach(ChildJvm::samplePeakRss);
            Map<TopicPartition, Long> committed = kafka.committed(group, target.keySet());
            long done = sumCapped(committed, target);
            if (start[0] == 0 && done >= startAt) {
                start[0] = System.nanoTime();
                startCommitted[0] = done;
            }
            return start[0] != 0 && KafkaOps.reached(committed, target) && alsoDone.getAsBoolean();
        });
        long end = System.nanoTime();
        double seconds = Math.max(1e-3, (end - start[0]) / 1e9);
        return new Timing(seconds, total - startCommitted[0], (end - launchedAtNanos) / 1_000_000);
    }

    private static long sumCapped(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> target) {
        return target.entrySet().stream()
                .mapToLong(e -> Math.min(e.getValue(), committed.getOrDefault(e.getKey(), 0L))).sum();
    }
}
