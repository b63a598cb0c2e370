package io.ipnpipeline.bench;

/**
 * The heap caps every JVM of a benchmark runs under. The gateway's is issue 8's; the others are justified in
 * RESULTS.md: the processor keeps its stores in RocksDB (off-heap) and needs heap only for record caches and
 * producer buffers; the sink holds two batches (at most 10,000 records each: one applied, one decoded).
 */
public final class Heaps {

    public static final String GATEWAY = "256m";
    public static final String PROCESSOR = "384m";
    public static final String SINK = "256m";
    /** The pass-through Streams app: the processor's cap, as it is the processor's limit. */
    public static final String PASS_THROUGH = PROCESSOR;
    /** The Kafka broker (PostgreSQL is native and has no heap). */
    public static final String INFRA = "512m";

    private Heaps() {
    }
}
