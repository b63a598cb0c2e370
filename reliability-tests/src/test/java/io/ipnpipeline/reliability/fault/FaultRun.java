package io.ipnpipeline.reliability.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.reliability.audit.PipelineAudit;
import io.ipnpipeline.reliability.model.ExpectedState;
import io.ipnpipeline.reliability.traffic.Ledger;
import io.ipnpipeline.reliability.traffic.PlannedPayment;
import io.ipnpipeline.reliability.traffic.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault test's traffic and its final audit: payments sent in the background through the gateways while the
 * test breaks something, then the pipeline's output held against the model of what was acknowledged.
 */
final class FaultRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);
    static final Duration TRAFFIC_TIMEOUT = Duration.ofMinutes(4);
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    final Ledger ledger = new Ledger();
    final Instant startedAt = Instant.now();
    private final InJvmPipeline pipeline;
    private final Traffic traffic;
    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

    FaultRun(InJvmPipeline pipeline, Supplier<List<String>> gateways, int parallel) {
        this.pipeline = pipeline;
        this.traffic = new Traffic(gateways, InJvmPipeline.IPN_SECRET, ledger, parallel);
    }

    FaultRun(InJvmPipeline pipeline) {
        this(pipeline, () -> List.of(pipeline.gatewayUrl()), 6);
    }

    void send(List<PlannedPayment> payments) {
        send(payments, 0);
    }

    /** Paced: {@code paymentsPerSecond} payments start per second, so a fault later in the test meets load. */
    void send(List<PlannedPayment> payments, double paymentsPerSecond) {
        sending = CompletableFuture.allOf(sending, traffic.send(payments, paymentsPerSecond));
    }

    /** Blocks until at least {@code count} IPNs were acknowledged in total: "mid-stream", for injecting a fault. */
    void awaitAcknowledged(int count) {
        await().atMost(TRAFFIC_TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> ledger.acknowledgedCount() >= count || sending.isDone());
    }

    /** Every IPN sent so far was acknowledged (after retries), and no authentic IPN got a 4xx. */
    void awaitTraffic() throws Exception {
        sending.get(TRAFFIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ledger.unexpected()).as("answers other than 2xx/503 to authentic IPNs").isEmpty();
        LOG.info("traffic done: {}", ledger);
    }

    PipelineAudit audit() {
        return new PipelineAudit(pipeline.schema().dataSource(), pipeline.bootstrapServers(), pipeline.topics(),
                startedAt);
    }

    /** The three promises, against the model of the acknowledged IPNs. */
    void assertNothingLostNothingTwice() throws Exception {
        awaitTraffic();
        ExpectedState expected = ExpectedState.from(ledger);
        LOG.info("{}", expected);
        PipelineAudit audit = audit();
        audit.awaitMatches(expected, SETTLE_TIMEOUT, pipeline::fatal);
        LOG.info("audit passed: {}", audit.summary());
    }

    @Override
    public void close() {
        traffic.close();
    }
}
