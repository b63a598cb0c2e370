package io.ipnpipeline.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.localstack.e2e.InJvmPipeline.Part;
import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.reliability.audit.PipelineAudit;
import io.ipnpipeline.reliability.model.ExpectedState;
import io.ipnpipeline.reliability.traffic.Ledger;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.reliability.traffic.PlannedPayment;
import io.ipnpipeline.reliability.traffic.Traffic;
import io.ipnpipeline.sink.CrashPoint;
import io.ipnpipeline.sink.SinkWithCrashHook;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.sink.fixtures.CrashOnce;
import io.ipnpipeline.testsupport.EmbeddedKafkaBroker;
import io.ipnpipeline.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak run (not in CI: {@code reliability-tests/soak.sh [minutes]}): steady traffic for {@code soak.minutes}
 * with a fault injected every 20-40 s (each kind in turn, shuffled: broker restart, PostgreSQL restart, processor
 * restart, sink crash at a random commit step, registry restart, gateway restart), then the same audit as the fault ITs and a report:
 * sent, acknowledged, applied, parked, reviewed, dead-lettered, commands issued.
 */
class SoakIT {

    private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);
    private static final double PAYMENTS_PER_SECOND = 8;

    /** What one injected fault does. */
    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    @Test
    void steadyTrafficWithRandomFaultsLosesAndDuplicatesNothing() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 10));
        Random random = new Random(Long.getLong("soak.seed", 20261128));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
                TestPostgres postgres = TestPostgres.embedded().start();
                InJvmPipeline pipeline = InJvmPipeline.builder("soak").bootstrapServers(broker.bootstrapServers())
                        .postgres(postgres).env("IPN_PUBLISH_TIMEOUT_MS", "1500").start()) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            Ledger ledger = new Ledger();
            Instant startedAt = Instant.now();
            int count = (int) (length.toSeconds() * PAYMENTS_PER_SECOND);
            List<PlannedPayment> payments = new PaymentPlans(random.nextLong(), 6_000_000_000L, count / 3).mixed(count);
            List<String> injected = new ArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            try (Traffic traffic = new Traffic(() -> gateways(pipeline), InJvmPipeline.IPN_SECRET, ledger, 16)) {
                CompletableFuture<Void> sending = traffic.send(payments, PAYMENTS_PER_SECOND);
                sending.whenComplete((ok, failure) -> done.set(true));
                // every kind of fault in turn, in a shuffled order, so even a short run meets each of them
                List<String> names = new ArrayList<>(List.of("broker", "postgres", "processor", "sink", "registry",
                        "gateway"));
                java.util.Collections.shuffle(names, random);
                while (!done.get()) {
                    sleep(Duration.ofSeconds(20 + random.nextInt(21)), done);
                    if (done.get()) {
                        break;
                    }
                    String name = names.get(injected.size() % names.size());
                    LOG.info("soak: injecting fault '{}' after {} acknowledged IPNs", name, ledger.acknowledgedCount());
                    fault(name, broker, postgres, pipeline, random).inject();
                    injected.add(name);
                }
                sending.get(5, TimeUnit.MINUTES);
            }
            ExpectedState expected = ExpectedState.from(ledger);
            PipelineAudit audit = new PipelineAudit(pipeline.schema().dataSource(), pipeline.bootstrapServers(),
                    pipeline.topics(), startedAt);
            audit.awaitMatches(expected, Duration.ofMinutes(5), pipeline::fatal);
            String report = report(length, ledger, expected, audit, injected);
            LOG.info("soak report:\n{}", report);
            Files.writeString(Path.of("target", "soak-report.txt"), report);
            assertThat(ledger.unexpected()).isEmpty();
        }
    }

    private static Fault fault(String name, EmbeddedKafkaBroker broker, TestPostgres postgres, InJvmPipeline pipeline,
            Random random) {
        return switch (name) {
            case "broker" -> () -> {
                broker.stop();
                Thread.sleep(3_000);
                broker.start();
            };
            case "postgres" -> () -> {
                postgres.stop();
                Thread.sleep(3_000);
                postgres.start();
            };
            case "processor", "registry", "gateway" -> () -> {
                Part part = Part.valueOf(name.toUpperCase(java.util.Locale.ROOT));
                pipeline.stop(part);
                Thread.sleep(2_000);
                pipeline.start(part);
            };
            case "sink" -> () -> crashSink(pipeline,
                    CrashPoint.Step.values()[random.nextInt(CrashPoint.Step.values().length)]);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void crashSink(InJvmPipeline pipeline, CrashPoint.Step at) throws Exception {
        CrashOnce crash = new CrashOnce(at);
        pipeline.stop(Part.SINK);
        pipeline.startWith(Part.SINK, env -> SinkWithCrashHook.start(SinkConfig.fromEnv(env), crash));
        boolean hit = crash.crashed().await(30, TimeUnit.SECONDS);
        LOG.info("soak: sink crash at {} {}", at, hit ? "happened" : "not reached in 30 s");
        pipeline.stop(Part.SINK);
        pipeline.start(Part.SINK);
    }


    private static List<String> gateways(InJvmPipeline pipeline) {
        try {
            return List.of(pipeline.gatewayUrl());
        } catch (IllegalStateException restarting) {
            return List.of();
        }
    }

    private static void sleep(Duration duration, AtomicBoolean done) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (!done.get() && System.nanoTime() < until) {
            Thread.sleep(200);
        }
    }

    private static String report(Duration length, Ledger ledger, ExpectedState expected, PipelineAudit audit,
            List<String> injected) throws Exception {
        var rows = audit.payments().values();
        long parked = rows.stream().filter(row -> row.statusWord().equals("awaiting_mapping")).count();
        long reviewed = rows.stream().filter(row -> row.statusWord().equals("needs_review")).count();
        return String.join("\n",
                "duration: " + length.toMinutes() + " min at " + PAYMENTS_PER_SECOND + " payments/s",
                "faults injected: " + injected.size() + " " + injected,
                "IPN requests sent (incl. retries): " + ledger.attempts(),
                "answers: 200=" + ledger.answers(200) + " 503=" + ledger.answers(503) + " dropped connections="
                        + ledger.connectionFailures(),
                "IPNs acknowledged: " + ledger.acknowledgedCount(),
                "payments: " + expected.payments().size() + " in the ledger (" + (rows.size() - parked - reviewed)
                        + " applied, " + parked + " parked, " + reviewed + " in review), "
                        + audit.deadLetteredKeys().size() + " dead-lettered",
                "commands: invites=" + audit.inviteIds().size() + " payouts=" + audit.payoutIds().size()
                        + " (expected " + expected.commanded().size() + " each, duplicates 0)",
                "lost: 0 (audit passed), paid twice: 0 (audit passed)") + "\n";
    }
}
