package io.ipnpipeline.bench.replay;

import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.Heaps;
import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.infra.Waits;
import io.ipnpipeline.bench.kafka.KafkaOps;
import io.ipnpipeline.bench.kafka.Progress;
import io.ipnpipeline.bench.processor.ProcessorBench;
import io.ipnpipeline.bench.report.Results;
import io.ipnpipeline.bench.report.Stats;
import io.ipnpipeline.bench.sink.SinkBench;
import io.ipnpipeline.bench.sink.SinkRun;
import io.ipnpipeline.bench.workload.DataSet;
import io.ipnpipeline.processor.app.ProcessorMain;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8 point 5: the whole data set replayed from {@code ipn.raw} offset 0 by a processor with wiped state (a
 * new application id: new group, no stores, no changelogs) into the topic the sink already applied, with the
 * same sink deployment (sink run 1: its database, group and command topics) restarted, through to the final
 * tables. Checks that no command is emitted and the ledger's content is unchanged.
 */
public final class ReplayBench {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayBench.class);
    private static final String STAGE = "5 replay";
    /** Longer than the outbox publisher's poll interval: a late command would have shown by then. */
    private static final long QUIET_MS = 3_000;

    private ReplayBench() {
    }

    public static void run(BenchContext ctx, DataSet data, SinkBench.Outcome applied) throws SQLException {
        SinkRun sink = applied.firstRun();
        List<Double> rates = new ArrayList<>();
        List<Double> walls = new ArrayList<>();
        long extraCommands = 0;
        boolean sameLedger = true;
        try (HikariDataSource ledger = ctx.infra().pool(sink.jdbcUrl(), "bench-replay", 1)) {
            for (int run = 1; run <= ctx.scale().runs(); run++) {
                String before = fingerprint(ledger);
                try (SinkRun.Commands commands = sink.countCommands(ctx)) {
                    long commandsBefore = settledCount(commands);
                    Progress.Timing timing = replay(ctx, data, sink, run);
                    rates.add(timing.rate());
                    walls.add(timing.wallMillisFromLaunch() / 1000.0);
                    Waits.sleep(QUIET_MS);
                    long emitted = commands.invites().count() + commands.payouts().count() - commandsBefore;
                    extraCommands += emitted;
                    String after = fingerprint(ledger);
                    sameLedger &= before.equals(after);
                    LOG.info("replay run {}: {} IPNs/s, {} s from launch, {} commands emitted, ledger {} -> {}", run,
                            (long) timing.rate(), timing.wallMillisFromLaunch() / 1000, emitted, before, after);
                }
            }
        }
        report(ctx.results(), data, rates, walls, extraCommands, sameLedger, applied.commands());
    }

    /** The processor with a new application id and the same sink, both up until the sink has caught up. */
    private static Progress.Timing replay(BenchContext ctx, DataSet data, SinkRun sink, int run) {
        String applicationId = "bench-replay-r" + run;
        Map<String, String> env = ProcessorBench.env(ctx, data, applicationId, sink.inputTopic(),
                "replay.r" + run + ".ipn.dlq");
        Map<TopicPartition, Long> target = ctx.kafka().endOffsets(data.ipnRawTopic());
        long launched = System.nanoTime();
        try (ChildJvm processor = ChildJvm.start(applicationId, ProcessorMain.class.getName(), Heaps.PROCESSOR, env,
                ctx.logDir());
                ChildJvm sinkJvm = sink.start(ctx)) {
            List<ChildJvm> jvms = List.of(processor, sinkJvm);
            Progress.Timing processed = Progress.measure(ctx.kafka(), applicationId, data.ipnRawTopic(), target,
                    launched, Duration.ofSeconds(300 + data.ipns() / 300), jvms, () -> true);
            Map<TopicPartition, Long> applied = ctx.kafka().dataEnd(sink.inputTopic());
            long caughtUpStart = System.nanoTime();
            Waits.until("sink caught up after replay", Duration.ofSeconds(300 + data.ipns() / 300), 50, () -> {
                jvms.forEach(ChildJvm::checkAlive);
                return KafkaOps.reached(ctx.kafka().committed(sink.group(), sink.inputTopic()), applied);
            });
            long end = System.nanoTime();
            ctx.recordPeakRss("replay processor", processor.samplePeakRss());
            ctx.recordPeakRss("replay sink", sinkJvm.samplePeakRss());
            double seconds = processed.seconds() + (end - caughtUpStart) / 1e9;
            return new Progress.Timing(seconds, processed.records(), (end - launched) / 1_000_000);
        }
    }

    /** Waits until the command count stops moving (the counters read the topics from the beginning). */
    private static long settledCount(SinkRun.Commands commands) {
        long last = -1;
        long now = commands.invites().count() + commands.payouts().count();
        while (now != last) {
            Waits.sleep(1_000);
            last = now;
            now = commands.invites().count() + commands.payouts().count();
        }
        return now;
    }

    /** The ledger's content, ignoring updated_at: rows, ranks, finished and issued timestamps. */
    private static String fingerprint(HikariDataSource ledger) throws SQLException {
        try (Connection connection = ledger.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*), sum(status_rank), "
                        + "sum(hashtext(payment_id || status || coalesce(finished_at::text, '') || "
                        + "coalesce(invite_issued_at::text, '') || coalesce(payout_issued_at::text, ''))), "
                        + "(SELECT count(*) FROM private_channel_users_database) FROM payments")) {
            row.next();
            return row.getLong(1) + "/" + row.getLong(2) + "/" + row.getLong(3) + "/" + row.getLong(4);
        }
    }

    private static void report(Results results, DataSet data, List<Double> rates, List<Double> walls,
            long extraCommands, boolean sameLedger, long commandsBefore) {
        results.absolute(STAGE, "replay of " + String.format(Locale.ROOT, "%,d", data.ipns())
                + " IPNs, processor state wiped + new group, to the final tables",
                Results.number(Stats.median(rates)) + " IPN/s (" + Results.number(Stats.median(walls))
                        + " s from launch)", "-", null);
        results.absolute(STAGE, "commands emitted by the replay (" + commandsBefore + " payments had theirs)",
                Long.toString(extraCommands), "0", extraCommands == 0);
        results.absolute(STAGE, "ledger content after replay", sameLedger ? "unchanged" : "CHANGED", "unchanged",
                sameLedger);
    }
}
