package io.ipnpipeline.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How big a benchmark run is. {@code full} is what issue 8 asks for (1M IPNs through the processor and the
 * replay); {@code tiny} only proves the harness works end to end (CI); {@code small} is in between.
 *
 * @param processorIpns   IPNs in the processor, sink and replay data set (duplicates included)
 * @param channels        registered channels the payments are spread over
 * @param runs            repetitions of every service/limit pair; the table shows medians
 * @param gatewayWarmup   closed-loop load before each saturation window opens; a cold gateway on 2 busy cores
 *                        needs ~10 s of load before the JIT has compiled its hot paths (seen: 2k/s rising to 14k/s)
 * @param gatewayMeasure  the saturation window
 * @param producerRecords records the plain producer (the gateway's limit) sends per run
 * @param latencySeconds  seconds of offered load at 2,000/s (gateway) and 1,000/s (end to end)
 * @param e2eIpns         IPNs in the end-to-end sustained run (five statuses per payment)
 * @param baselineSeconds saturation window of the old-handler baseline
 */
public record Scale(String name, long processorIpns, int channels, int runs, Duration gatewayWarmup,
        Duration gatewayMeasure, int producerRecords, int latencySeconds, int e2eIpns, int baselineSeconds) {

    public static Scale named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new Scale("tiny", 2_000, 20, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 5_000, 1,
                    1_000, 2);
            case "small" -> new Scale("small", 100_000, 100, 3, Duration.ofSeconds(5), Duration.ofSeconds(5), 50_000,
                    5, 10_000, 5);
            case "full" -> new Scale("full", 1_000_000, 500, 3, Duration.ofSeconds(15), Duration.ofSeconds(15),
                    200_000, 15, 50_000, 10);
            default -> throw new IllegalArgumentException("unknown scale '" + name + "' (tiny, small or full)");
        };
    }

    public Scale withRuns(int newRuns) {
        return new Scale(name, processorIpns, channels, newRuns, gatewayWarmup, gatewayMeasure, producerRecords,
                latencySeconds, e2eIpns, baselineSeconds);
    }

    public Scale withProcessorIpns(long ipns) {
        return new Scale(name + "(ipns=" + ipns + ")", ipns, channels, runs, gatewayWarmup, gatewayMeasure,
                producerRecords, latencySeconds, e2eIpns, baselineSeconds);
    }
}
