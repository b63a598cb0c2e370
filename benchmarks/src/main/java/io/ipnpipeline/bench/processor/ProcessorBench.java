package io.ipnpipeline.bench.processor;

import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.Deployment;
import io.ipnpipeline.bench.Heaps;
import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.infra.CpuTime;
import io.ipnpipeline.bench.kafka.Progress;
import io.ipnpipeline.bench.workload.DataSet;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.processor.app.ProcessorMain;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8 point 2: records/s from {@code ipn.raw} to {@code payments.enriched} over the data set (five statuses
 * per payment, duplicates, unmapped channels), against a pass-through Streams app with the same settings over
 * the same records. Each run starts from a new application id (empty state, offset 0); runs alternate.
 */
public final class ProcessorBench {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorBench.class);
    private static final String STAGE = "2 processor";

    private ProcessorBench() {
    }

    /** The processor's environment for one run: reads the data set, writes {@code outputTopic}. */
    public static Map<String, String> env(BenchContext ctx, DataSet data, String applicationId, String outputTopic,
            String dlqTopic) {
        Map<String, String> env = new HashMap<>(data.topicEnv());
        env.put(Topics.PAYMENTS_ENRICHED.envVariable(), outputTopic);
        env.put(Topics.IPN_DLQ.envVariable(), dlqTopic);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, ctx.kafka().bootstrap());
        env.put(ProcessorConfig.APPLICATION_ID, applicationId);
        env.put(ProcessorConfig.STATE_DIR, ctx.workDir().resolve("state").resolve(applicationId).toString());
        env.put(ProcessorConfig.OPS_PORT, Integer.toString(Ports.ephemeral()));
        env.put(ProcessorConfig.NUM_STREAM_THREADS, Deployment.PROCESSOR_STREAM_THREADS);
        ctx.kafka().createTopics(TopicNames.fromEnv(env::get), List.of(Topics.PAYMENTS_ENRICHED, Topics.IPN_DLQ));
        return env;
    }

    /** Runs the real processor or the pass-through over the whole data set; returns its timing. */
    public static Progress.Timing runOnce(BenchContext ctx, DataSet data, String mainClass, String heap,
            Map<String, String> env, String peakKey) {
        String applicationId = env.get(ProcessorConfig.APPLICATION_ID);
        Map<TopicPartition, Long> target = ctx.kafka().endOffsets(data.ipnRawTopic());
        long launched = System.nanoTime();
        try (ChildJvm jvm = ChildJvm.start(applicationId, mainClass, heap, env, ctx.logDir())) {
            long brokerPid = ctx.infra().jvm().pid();
            double serviceCpu = CpuTime.seconds(jvm.pid());
            double brokerCpu = CpuTime.seconds(brokerPid);
            Progress.Timing timing = Progress.measure(ctx.kafka(), applicationId, data.ipnRawTopic(), target, launched,
                    timeout(data), List.of(jvm), () -> true);
            ctx.recordPeakRss(peakKey, jvm.samplePeakRss());
            // a diagnostic for the log, not a figure: CPU per input record from launch (start-up and JIT included),
            // which, unlike a rate, hardly depends on what else the shared cores are doing
            double perRecord = 1e6 / data.ipns();
            LOG.info("{}: CPU per record from launch: service {} us, broker {} us", peakKey,
                    Math.round((CpuTime.seconds(jvm.pid()) - serviceCpu) * perRecord),
                    Math.round((CpuTime.seconds(brokerPid) - brokerCpu) * perRecord));
            return timing;
        }
    }

    static Duration timeout(DataSet data) {
        // generous: 500 records/s would be a failure worth a table row, not a hung harness
        return Duration.ofSeconds(120 + data.ipns() / 500);
    }

    public static void run(BenchContext ctx, DataSet data) {
        List<Double> processor = new ArrayList<>();
        List<Double> passThrough = new ArrayList<>();
        for (int run = 1; run <= ctx.scale().runs(); run++) {
            String processorId = "bench-processor-r" + run;
            Progress.Timing real = runOnce(ctx, data, ProcessorMain.class.getName(), Heaps.PROCESSOR,
                    env(ctx, data, processorId, data.enrichedTopic(run), "proc.r" + run + ".ipn.dlq"), "processor");
            String passId = "bench-pass-through-r" + run;
            Progress.Timing limit = runOnce(ctx, data, PassThroughMain.class.getName(), Heaps.PASS_THROUGH,
                    env(ctx, data, passId, "pass.r" + run + ".out", "pass.r" + run + ".dlq"), "pass-through");
            processor.add(real.rate());
            passThrough.add(limit.rate());
            LOG.info("processor run {}: {} records/s (wall {} s), pass-through {} records/s", run, (long) real.rate(),
                    real.wallMillisFromLaunch() / 1000, (long) limit.rate());
        }
        ctx.results().ratio(STAGE, "ipn.raw -> payments.enriched, " + data.describe(), "records/s", processor,
                "pass-through Streams app, same EOS v2 settings", passThrough, 0.6);
    }
}
