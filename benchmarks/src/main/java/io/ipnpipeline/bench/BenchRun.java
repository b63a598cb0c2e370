package io.ipnpipeline.bench;

import io.ipnpipeline.bench.e2e.EndToEndBench;
import io.ipnpipeline.bench.gateway.GatewayBench;
import io.ipnpipeline.bench.localstack.LocalStackBench;
import io.ipnpipeline.bench.processor.ProcessorBench;
import io.ipnpipeline.bench.replay.ReplayBench;
import io.ipnpipeline.bench.report.MachineLoad;
import io.ipnpipeline.bench.sink.SinkBench;
import io.ipnpipeline.bench.workload.DataSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order of the stages and what they hand each other: the data set feeds the processor, processor run 1's
 * output feeds the sink, sink run 1's deployment is what the replay replays into. A stage that fails becomes a
 * FAILED row with its reason; the others still run.
 */
final class BenchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BenchRun.class);

    private final BenchOptions options;
    private final MachineLoad load = new MachineLoad();

    BenchRun(BenchOptions options) {
        this.options = options;
    }

    MachineLoad load() {
        return load;
    }

    Path prepareWorkDir() {
        deleteWorkDir();
        try {
            return Files.createDirectories(options.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + options.workDir(), e);
        }
    }

    void stages(BenchContext ctx) {
        load.start();
        if (options.stages().contains(BenchOptions.Stage.GATEWAY)) {
            stage(ctx, "1 gateway", () -> GatewayBench.run(ctx));
        }
        boolean needData = options.stages().contains(BenchOptions.Stage.PROCESSOR)
                || options.stages().contains(BenchOptions.Stage.SINK)
                || options.stages().contains(BenchOptions.Stage.REPLAY);
        SinkBench.Outcome[] applied = {null};
        if (needData) {
            DataSet data = DataSet.load(ctx.kafka(), ctx.scale().processorIpns(), ctx.scale().channels());
            // the sink and the replay read what processor run 1 wrote, so the processor stage always runs for them
            boolean processed = stage(ctx, "2 processor", () -> ProcessorBench.run(ctx, data));
            if (processed && (options.stages().contains(BenchOptions.Stage.SINK)
                    || options.stages().contains(BenchOptions.Stage.REPLAY))) {
                stage(ctx, "3 sink", () -> applied[0] = SinkBench.run(ctx, data));
            }
            if (options.stages().contains(BenchOptions.Stage.E2E)) {
                stage(ctx, "4 end to end", () -> EndToEndBench.run(ctx));
            }
            if (applied[0] != null && options.stages().contains(BenchOptions.Stage.REPLAY)) {
                stage(ctx, "5 replay", () -> ReplayBench.run(ctx, data, applied[0]));
            }
        } else if (options.stages().contains(BenchOptions.Stage.E2E)) {
            stage(ctx, "4 end to end", () -> EndToEndBench.run(ctx));
        }
        if (options.stages().contains(BenchOptions.Stage.LOCALSTACK)) {
            // last: its rows are memory rows, and its broker and database are its own
            stage(ctx, "6 memory, local stack", () -> LocalStackBench.run(ctx));
        }
        load.stop();
    }

    private interface Stage {
        void run() throws Exception;
    }

    private static boolean stage(BenchContext ctx, String name, Stage stage) {
        long started = System.nanoTime();
        LOG.info("stage {} starting", name);
        try {
            stage.run();
            LOG.info("stage {} done in {} s", name, (System.nanoTime() - started) / 1_000_000_000);
            return true;
        } catch (Exception e) {
            LOG.error("stage {} failed", name, e);
            ctx.results().absolute(name, "FAILED", e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()),
                    "runs", false);
            return false;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.replace('|', '/');
    }

    void cleanUp() {
        load.stop();
        if (!options.keep()) {
            deleteWorkDir();
        }
    }

    private void deleteWorkDir() {
        Path dir = options.workDir();
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
