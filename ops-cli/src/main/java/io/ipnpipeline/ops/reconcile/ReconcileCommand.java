package io.ipnpipeline.ops.reconcile;

import io.ipnpipeline.ops.cli.Durations;
import io.ipnpipeline.ops.cli.Instants;
import io.ipnpipeline.ops.cli.OpsCommand;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.config.OpsConfig;
import io.ipnpipeline.ops.kafka.OpsKafka;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reconcile", description = {
        "Compare NOWPayments' payments with the ledger and inject every finished payment the ledger lacks or has"
                + " behind into ipn.raw (header ipn.source=reconciliation).",
        "Once: --from T [--to T]. On a schedule: --every 10m [--lookback 48h], until stopped (SIGTERM).",
        "Needs NOWPAYMENTS_API_KEY; NOWPAYMENTS_API_URL defaults to https://api.nowpayments.io."})
public final class ReconcileCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileCommand.class);

    @Mixin
    OpsCommand ops;

    @Option(names = "--from", converter = Instants.class, paramLabel = "<ISO-8601>",
            description = "window start (payments created at or after)")
    Instant from;

    @Option(names = "--to", converter = Instants.class, paramLabel = "<ISO-8601>",
            description = "window end (default: now)")
    Instant to;

    @Option(names = "--every", converter = Durations.class, paramLabel = "<duration>",
            description = "run on a schedule, each run covering the last --lookback")
    Duration every;

    @Option(names = "--lookback", converter = Durations.class, defaultValue = "8d", paramLabel = "<duration>",
            description = "window of a scheduled run; NOWPayments filters by creation time and a payment can"
                    + " finish up to its 7-day window after it was created (default: ${DEFAULT-VALUE})")
    Duration lookback;

    @Option(names = "--runs", defaultValue = "0", description = "with --every: stop after this many runs (0: never)")
    int runs;

    @Option(names = "--dry-run", description = "report what would be injected, inject nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        OpsConfig config = ops.config();
        if ((every == null) == (from == null)) {
            throw new OpsException(2, "give either --from (one run) or --every (a schedule)");
        }
        if (every != null) {
            requireSchedule();
        }
        NowPaymentsClient client = new NowPaymentsClient(config.nowPayments());
        try (KafkaProducer<String, byte[]> producer = OpsKafka.producer(config.bootstrapServers(), "ipn-ops-reconcile")) {
            Reconciler reconciler = new Reconciler(client, config.database(), producer, config.ipnRawTopic(),
                    Clock.systemUTC());
            if (every == null) {
                report(reconciler.run(from, to == null ? Instant.now() : to, dryRun));
                return 0;
            }
            return schedule(reconciler);
        }
    }

    /** A schedule must neither spin nor leave payments created between two runs unchecked. */
    private void requireSchedule() {
        if (every.isNegative() || every.isZero() || lookback.isNegative() || lookback.isZero()) {
            throw new OpsException(2, "--every and --lookback must be positive durations");
        }
        if (lookback.compareTo(every) < 0) {
            throw new OpsException(2, "--lookback (" + lookback + ") is shorter than --every (" + every
                    + "): payments created between two runs would never be checked");
        }
    }

    /** A failed run is logged and retried at the next tick: a schedule outlives a NOWPayments outage. */
    private int schedule(Reconciler reconciler) {
        CountDownLatch stop = new CountDownLatch(1);
        Thread worker = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.countDown();
            joinQuietly(worker);
        }, "reconcile-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int failures = 0;
        try {
            for (int run = 1; runs == 0 || run <= runs; run++) {
                Instant now = Instant.now();
                try {
                    report(reconciler.run(now.minus(lookback), now, dryRun));
                } catch (OpsException e) {
                    failures++;
                    LOG.error("reconcile run {} failed: {}", run, e.getMessage());
                    ops.out().println("run " + run + " failed: " + e.getMessage());
                    ops.out().flush();
                }
                if ((runs != 0 && run == runs) || stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            removeHook(hook);
        }
        return failures == 0 ? 0 : OpsException.FAILED;
    }

    private void report(ReconcileReport report) {
        PrintWriter out = ops.out();
        out.println(report.summary());
        report.injected().forEach(id -> out.println("  injected " + id));
        report.conflicts().forEach(id -> out.println("  conflict " + id
                + ": NOWPayments says finished, the ledger holds a final status; check by hand"));
        report.inReview().forEach(id -> out.println("  in review " + id + ": NOWPayments says finished, the ledger"
                + " holds it in needs_review; fix the cause, then 'payment retry " + id + "'"
                + " ('--from-nowpayments' when it is held as finished without a payout amount)"));
        out.flush();
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping; the hook is what let this loop end
        }
    }
}
