package io.ipnpipeline.bench.sink;

import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.kafka.Progress;
import io.ipnpipeline.bench.kafka.TopicReader;
import io.ipnpipeline.bench.workload.DataSet;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8 point 3: payment changes applied per second by the sink-writer (ledger and subscription rows, and the
 * invite and payout commands published), with fsync on, against the fastest raw upsert of the same rows.
 * The input is processor run 1's {@code payments.enriched}. Every run uses a fresh database and group.
 */
public final class SinkBench {

    private static final Logger LOG = LoggerFactory.getLogger(SinkBench.class);
    private static final String STAGE = "3 sink";

    private SinkBench() {
    }

    /** What the sink stage leaves for the replay: run 1's deployment and the number of commands it issued. */
    public record Outcome(SinkRun firstRun, long commands) {
    }

    public static Outcome run(BenchContext ctx, DataSet data) throws SQLException {
        String input = data.enrichedTopic(1);
        Deserializer<EnrichedPayment> decoder = Topics.PAYMENTS_ENRICHED.valueSerde().deserializer();
        List<EnrichedPayment> records = TopicReader.readAll(ctx.kafka(), input, bytes -> decoder.deserialize(input, bytes));
        long expectedCommands = records.stream()
                .filter(p -> p.status() == PaymentStatus.FINISHED && p.isPlaced())
                .mapToLong(EnrichedPayment::paymentId).distinct().count();
        Map<TopicPartition, Long> target = ctx.kafka().dataEnd(input);
        double recordsPerOffset = (double) records.size() / Math.max(1, ctx.kafka().total(target));
        List<List<EnrichedPayment>> batches = RawUpsert.batches(records);
        List<Double> sink = new ArrayList<>();
        List<Double> limit = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        SinkRun first = null;
        for (int run = 1; run <= ctx.scale().runs(); run++) {
            SinkRun deployment = SinkRun.create(ctx, "sink-r" + run, input);
            first = first == null ? deployment : first;
            Progress.Timing timing = measure(ctx, deployment, target, expectedCommands);
            sink.add(timing.rate() * recordsPerOffset);
            Limit best = limit(ctx, run, batches, records.size());
            limit.add(best.rate());
            variants.add(best.describe());
            LOG.info("sink run {}: {} changes/s; raw upsert {}", run, (long) (timing.rate() * recordsPerOffset),
                    best.describe());
        }
        ctx.results().ratio(STAGE, String.format(Locale.ROOT, "payments.enriched -> ledger + subscriptions +"
                + " commands, fsync on (%,d changes, %,d finished payments)", records.size(), expectedCommands),
                "changes/s", sink, "raw upsert of the same rows, best of COPY / unnest", limit, 0.7);
        ctx.results().note("sink limit per run (changes/s): " + String.join("; ", variants));
        return new Outcome(first, expectedCommands);
    }

    /** Runs the sink until every record is committed and every command is published. */
    static Progress.Timing measure(BenchContext ctx, SinkRun deployment, Map<TopicPartition, Long> target,
            long expectedCommands) {
        try (SinkRun.Commands commands = deployment.countCommands(ctx)) {
            long launched = System.nanoTime();
            try (ChildJvm jvm = deployment.start(ctx)) {
                Progress.Timing timing = Progress.measure(ctx.kafka(), deployment.group(), deployment.inputTopic(),
                        target, launched, Duration.ofSeconds(120 + ctx.kafka().total(target) / 300), List.of(jvm),
                        () -> commands.atLeast(expectedCommands) && sampled(ctx));
                ctx.recordPeakRss("sink", jvm.samplePeakRss());
                return timing;
            }
        }
    }

    private static boolean sampled(BenchContext ctx) {
        ctx.infra().samplePostgresPss();
        return true;
    }

    private record Limit(double copyRate, double unnestRate) {
        double rate() {
            return Math.max(copyRate, unnestRate);
        }

        String describe() {
            return String.format(Locale.ROOT, "COPY %,.0f, unnest %,.0f", copyRate, unnestRate);
        }
    }

    private static Limit limit(BenchContext ctx, int run, List<List<EnrichedPayment>> batches, int records)
            throws SQLException {
        double copySeconds;
        double unnestSeconds;
        try (HikariDataSource pool = ctx.infra().pool(ctx.infra().freshDatabase("upsert_copy_r" + run), "raw", 1)) {
            copySeconds = RawUpsert.copy(pool, batches);
        }
        try (HikariDataSource pool = ctx.infra().pool(ctx.infra().freshDatabase("upsert_unnest_r" + run), "raw", 1)) {
            unnestSeconds = RawUpsert.unnest(pool, batches);
        }
        return new Limit(records / copySeconds, records / unnestSeconds);
    }
}
