package io.ipnpipeline.bench;

import io.ipnpipeline.bench.infra.Infra;
import io.ipnpipeline.bench.kafka.KafkaOps;
import io.ipnpipeline.bench.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar benchmarks/target/ipn-pipeline-bench.jar --scale full}: runs the benchmarks of issue 8 and
 * prints the markdown table (see {@link BenchOptions} for the options, benchmarks/RESULTS.md for the latest).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String table = run(options);
        new PrintStream(System.out, true, StandardCharsets.UTF_8).println(table);
    }

    /** Runs the selected stages and returns the report (markdown). */
    public static String run(BenchOptions options) throws IOException {
        BenchRun run = new BenchRun(options);
        try (Infra infra = Infra.start(run.prepareWorkDir(), Heaps.INFRA);
                KafkaOps kafka = new KafkaOps(infra.bootstrap())) {
            BenchContext ctx = new BenchContext(options.scale(), infra, kafka, options.workDir());
            run.stages(ctx);
            String report = Report.render(options, ctx, run.load());
            Report.write(options.out(), report);
            return report;
        } finally {
            run.cleanUp();
        }
    }
}
