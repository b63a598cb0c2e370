package io.ipnpipeline.bench.localstack;

import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.gateway.HttpLoad;
import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.infra.ProcessMemory;
import io.ipnpipeline.bench.infra.Waits;
import io.ipnpipeline.bench.kafka.KafkaOps;
import io.ipnpipeline.bench.report.Results;
import io.ipnpipeline.bench.workload.SignedBodies;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.processor.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8 point 6, the local stack's total RSS: {@code java -jar ipn-pipeline-local.jar} as a user runs it (one
 * JVM holding the KRaft broker and all four services, its default heap, plus the embedded PostgreSQL's
 * processes), driven at saturation through its gateway with full payment lifecycles of registered channels, so
 * every part works: gateway, processor, sink (ledger and commands), registry, broker and database. The JVM's
 * peak is its kernel high-water mark; PostgreSQL's is the sampled sum of PSS of its processes.
 */
public final class LocalStackBench {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackBench.class);
    private static final String STAGE = "6 memory";
    /** As the gateway stage: enough connections that the stack, not the load loop, sets the pace. */
    private static final int CONNECTIONS = 256;
    private static final int DISTINCT_BODIES = 20_000;
    private static final long FIRST_PAYMENT = 9_000_000_000L;
    private static final long SAMPLE_MILLIS = 250;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** After the load: until the processor has read all of ipn.raw and the ledger is still, at most this. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private LocalStackBench() {
    }

    public static void run(BenchContext ctx) throws IOException, SQLException {
        Path dataDir = ctx.workDir().resolve("localstack");
        StackPorts ports = StackPorts.choose();
        ChildJvm jvm = ChildJvm.startJar("localstack", LocalStackJar.locate(), ports.arguments(dataDir),
                Map.of(GatewayConfig.IPN_SECRET, BenchContext.SECRET), ctx.logDir());
        AtomicLong postgresPss = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "localstack-memory-sampler");
            thread.setDaemon(true);
            return thread;
        });
        Outcome outcome;
        try {
            long started = System.nanoTime();
            for (int port : ports.healthPorts()) {
                Waits.healthy(jvm, port, "/health/ready", READY_TIMEOUT);
            }
            LOG.info("local stack ready in {} ms", (System.nanoTime() - started) / 1_000_000);
            Path pgData = dataDir.resolve("postgres");
            sampler.scheduleAtFixedRate(() -> sample(jvm, pgData, postgresPss), 0, SAMPLE_MILLIS,
                    TimeUnit.MILLISECONDS);
            StackLedger ledger = StackLedger.open(dataDir.resolve("endpoints.env"));
            outcome = load(ctx, jvm, ports, ledger);
            jvm.checkAlive();
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + jvm.logTail(), e);
        } finally {
            sampler.shutdownNow();
            jvm.samplePeakRss();
            jvm.close();
        }
        if (postgresPss.get() <= 0) {
            throw new IllegalStateException("no PostgreSQL process found under " + dataDir.resolve("postgres")
                    + " (is PIPELINE_JDBC_URL set? the local stack then uses that database instead)");
        }
        report(ctx, jvm, postgresPss.get(), outcome);
    }

    private static void sample(ChildJvm jvm, Path pgData, AtomicLong postgresPss) {
        jvm.samplePeakRss();
        long postmaster = ProcessMemory.postmasterPid(pgData);
        if (postmaster > 0) {
            postgresPss.accumulateAndGet(ProcessMemory.treePss(postmaster), Math::max);
        }
    }

    private record Outcome(HttpLoad.Saturation saturation, long finishedPayments, long subscriptions,
            long inviteLogEnd, boolean drained) {
    }

    private static Outcome load(BenchContext ctx, ChildJvm jvm, StackPorts ports, StackLedger ledger)
            throws SQLException {
        ledger.registerChannels(ctx.scale().channels());
        TopicNames topics = TopicNames.defaults();
        try (KafkaOps kafka = new KafkaOps(ledger.bootstrap());
                HttpLoad load = new HttpLoad(ports.gateway(), IpnHandler.ROUTE, CONNECTIONS)) {
            // the registry publishes the rows to channel.mappings; without them every payment would be parked
            Waits.until("the registry to publish " + ctx.scale().channels() + " channels", Duration.ofSeconds(60),
                    200, () -> {
                        jvm.checkAlive();
                        return kafka.total(kafka.endOffsets(topics.name(Topics.CHANNEL_MAPPINGS)))
                                >= ctx.scale().channels();
                    });
            List<HttpLoad.SignedBody> bodies = SignedBodies.lifecycle(DISTINCT_BODIES, ctx.scale().channels(),
                    FIRST_PAYMENT, BenchContext.SECRET);
            HttpLoad.Saturation saturation = load.saturate(i -> bodies.get(i % bodies.size()), CONNECTIONS,
                    ctx.scale().gatewayWarmup(), ctx.scale().gatewayMeasure());
            jvm.checkAlive();
            LOG.info("local stack: {}/s answered 200 at saturation ({} not 200)", (long) saturation.okPerSecond(),
                    saturation.rejected() + saturation.failed());
            boolean drained = drain(jvm, kafka, topics, ledger);
            return new Outcome(saturation, ledger.finishedPayments(), ledger.subscriptions(),
                    kafka.total(kafka.endOffsets(topics.name(Topics.COMMANDS_INVITE))), drained);
        }
    }

    /** Until the processor has committed all of ipn.raw and the ledger's finished count holds still for 2 s. */
    private static boolean drain(ChildJvm jvm, KafkaOps kafka, TopicNames topics, StackLedger ledger) {
        String ipnRaw = topics.name(Topics.IPN_RAW);
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long last = -1;
        int still = 0;
        while (System.nanoTime() < deadline) {
            jvm.checkAlive();
            boolean processed = KafkaOps.reached(
                    kafka.committed(ProcessorConfig.DEFAULT_APPLICATION_ID, ipnRaw), kafka.endOffsets(ipnRaw));
            long finished = ledger.finishedPayments();
            still = processed && finished == last ? still + 1 : 0;
            if (still >= 4) {
                return true;
            }
            last = finished;
            Waits.sleep(500);
        }
        return false;
    }

    private static void report(BenchContext ctx, ChildJvm jvm, long postgresPss, Outcome outcome) {
        long jvmPeak = jvm.peakRss();
        boolean oom = mentionsOom(jvm.log());
        boolean stopped = jvm.exitValue().isPresent() && logSays(jvm.log(), "Stopped.");
        ctx.recordPeakRss("local stack JVM", jvmPeak);
        ctx.recordPeakRss("local stack PostgreSQL (PSS, sampled)", postgresPss);
        ctx.recordPeakRss("local stack total", jvmPeak + postgresPss);
        Results results = ctx.results();
        results.absolute(STAGE, "peak RSS, local stack JVM (broker + 4 services, default heap, no -Xmx)",
                Results.mib(jvmPeak), "no OutOfMemoryError, alive until SIGTERM", !oom);
        results.absolute(STAGE, "peak local stack PostgreSQL (PSS, sampled)", Results.mib(postgresPss), "-", null);
        results.absolute(STAGE, "peak local stack total (JVM + PostgreSQL)", Results.mib(jvmPeak + postgresPss), "-",
                null);
        results.absolute(STAGE, "local stack: signed IPNs answered 200/s at saturation (" + CONNECTIONS
                + " connections, informational)", Results.number(outcome.saturation().okPerSecond()) + " IPN/s", "-",
                null);
        results.note("local stack: " + outcome.finishedPayments() + " payments finished in its ledger, "
                + outcome.subscriptions() + " subscription rows, commands.invite log end " + outcome.inviteLogEnd()
                + (outcome.drained() ? "; drained after the load" : "; not drained within "
                        + DRAIN_TIMEOUT.toSeconds() + " s after the load")
                + "; " + (outcome.saturation().rejected() + outcome.saturation().failed()) + " requests not 200"
                + "; SIGTERM: " + (stopped ? "stopped cleanly (exit " + jvm.exitValue().getAsInt() + ")"
                        : "**did not stop cleanly** (" + jvm.exitValue() + ")"));
    }

    private static boolean mentionsOom(Path log) {
        return logSays(log, "OutOfMemoryError");
    }

    private static boolean logSays(Path log, String text) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.anyMatch(line -> line.contains(text));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Every port of the stack given explicitly, so it never meets another stack's defaults. */
    private record StackPorts(int gateway, int gatewayOps, int kafka, int kafkaController, int postgres,
            int processorOps, int sinkOps, int registryOps) {

        static StackPorts choose() {
            int[] ports = Ports.ephemeral(8);
            return new StackPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7]);
        }

        List<String> arguments(Path dataDir) {
            List<String> args = new ArrayList<>(List.of("--fresh", "--data-dir", dataDir.toString(),
                    "--gateway-port", Integer.toString(gateway), "--gateway-ops-port", Integer.toString(gatewayOps),
                    "--kafka-port", Integer.toString(kafka),
                    "--kafka-controller-port", Integer.toString(kafkaController),
                    "--postgres-port", Integer.toString(postgres),
                    "--processor-ops-port", Integer.toString(processorOps),
                    "--sink-ops-port", Integer.toString(sinkOps),
                    "--registry-ops-port", Integer.toString(registryOps)));
            // the harness waits for readiness itself; the stack must not give up first on 2 busy cores
            args.addAll(List.of("--ready-timeout", READY_TIMEOUT.toString()));
            return args;
        }

        List<Integer> healthPorts() {
            return List.of(registryOps, processorOps, sinkOps, gatewayOps, gateway);
        }
    }
}
