package io.ipnpipeline.bench;

import io.ipnpipeline.bench.processor.PassThroughMain;
import io.ipnpipeline.processor.app.ProcessorMain;
import java.util.Set;

/**
 * How the benchmarks deploy the services beyond their heap caps, as docker-compose.yml deploys them on a 2-core
 * host: the processor is built with the parallel collector and runs one stream thread per core; everything else
 * runs G1. The pass-through, the processor's limit, gets the processor's settings, so the ratio compares code.
 */
public final class Deployment {

    /** docker-compose.yml's PROCESSOR_NUM_STREAM_THREADS. */
    public static final String PROCESSOR_STREAM_THREADS = "2";

    private static final Set<String> PARALLEL_GC = Set.of(ProcessorMain.class.getName(),
            PassThroughMain.class.getName());

    private Deployment() {
    }

    /** The Dockerfile's JAVA_GC for this service (its build argument in docker-compose.yml). */
    public static String collector(String mainClass) {
        return PARALLEL_GC.contains(mainClass) ? "-XX:+UseParallelGC" : "-XX:+UseG1GC";
    }
}
