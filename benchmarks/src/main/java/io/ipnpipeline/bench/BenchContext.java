package io.ipnpipeline.bench;

import io.ipnpipeline.bench.infra.Infra;
import io.ipnpipeline.bench.kafka.KafkaOps;
import io.ipnpipeline.bench.report.Results;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What every stage shares: the scale, the infrastructure, the results, and the peak memory per service. */
public final class BenchContext {

    /** The IPN secret the gateway is configured with and the load generator signs with. */
    public static final String SECRET = "bench-ipn-secret-0123456789";

    private final Scale scale;
    private final Infra infra;
    private final KafkaOps kafka;
    private final Path workDir;
    private final Results results = new Results();
    private final Map<String, Long> peakRss = new ConcurrentHashMap<>();

    public BenchContext(Scale scale, Infra infra, KafkaOps kafka, Path workDir) {
        this.scale = scale;
        this.infra = infra;
        this.kafka = kafka;
        this.workDir = workDir;
    }

    public Scale scale() {
        return scale;
    }

    public Infra infra() {
        return infra;
    }

    public KafkaOps kafka() {
        return kafka;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logDir() {
        return workDir.resolve("logs");
    }

    public Results results() {
        return results;
    }

    /** Keeps the highest peak RSS seen for a service (in bytes) under {@code key}. */
    public void recordPeakRss(String key, long bytes) {
        if (bytes > 0) {
            peakRss.merge(key, bytes, Math::max);
        }
    }

    public Map<String, Long> peakRss() {
        return Map.copyOf(peakRss);
    }
}
