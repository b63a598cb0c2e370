package io.ipnpipeline.processor.topology;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Step 2: only forward status moves pass, per payment_id (contract 3). */
class DedupeStepTest {

    @TempDir
    Path stateDir;
    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(stateDir);
        harness.map(aMapping());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void fiveCopiesOfOneIpnGiveOneOutput() {
        for (int copy = 0; copy < 5; copy++) {
            harness.send(anIpn().paymentId(42).status("finished"));
        }

        assertThat(harness.enrichedValues()).singleElement()
                .satisfies(payment -> assertThat(payment.status()).isEqualTo(PaymentStatus.FINISHED));
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_DROPPED, "kind", "repeat")).isEqualTo(4);
    }

    /**
     * Found by review: the status is recorded here before the later steps run, so a record they dead-lettered was
     * dropped as a repeat when an operator redrove it, and the payment was never applied.
     */
    @Test
    void aRedrivenOrReconciledRepeatPassesWhileAPlainRepeatAndARedrivenRegressionDoNot() {
        IpnBuilder finished = anIpn().paymentId(42).status("finished");
        harness.send(finished);
        harness.send(finished);
        harness.sendWithHeaders(finished.key(), finished.bytes(), redriven());
        harness.sendWithHeaders(finished.key(), finished.bytes(), IpnProvenance.fromReconciliation());
        IpnBuilder confirming = anIpn().paymentId(42).status("confirming");
        harness.sendWithHeaders(confirming.key(), confirming.bytes(), redriven());

        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::status)
                .containsExactly(PaymentStatus.FINISHED, PaymentStatus.FINISHED, PaymentStatus.FINISHED);
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_DROPPED, "kind", "repeat")).isEqualTo(1);
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_DROPPED, "kind", "regression")).isEqualTo(1);
    }

    private static Map<String, String> redriven() {
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED,
                "current"));
        headers.put(HeaderNames.IPN_REDRIVEN_AT, "2025-06-02T00:00:00Z");
        return headers;
    }

    static Stream<Arguments> everyStatusPair() {
        return Arrays.stream(PaymentStatus.values())
                .flatMap(from -> Arrays.stream(PaymentStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource("everyStatusPair")
    void aSecondStatusPassesOnlyIfItIsAForwardMove(PaymentStatus from, PaymentStatus to) {
        harness.send(anIpn().paymentId(7).status(from.wire()));
        harness.send(anIpn().paymentId(7).status(to.wire()));

        List<PaymentStatus> emitted = harness.enrichedValues().stream().map(EnrichedPayment::status).toList();
        boolean forward = from.canAdvanceTo(to);
        assertThat(emitted).as("emitted statuses").isEqualTo(forward ? List.of(from, to) : List.of(from));
        String kind = from == to ? "repeat" : "regression";
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_DROPPED, "kind", kind)).isEqualTo(forward ? 0 : 1);
    }

    @Test
    void theUsualSequenceWithRetriesAndALateStatusEmitsEachStepOnce() {
        Stream.of("waiting", "waiting", "confirming", "waiting", "confirmed", "sending", "confirming", "finished",
                        "finished", "sending")
                .forEach(status -> harness.send(anIpn().paymentId(9).status(status)));

        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::status).containsExactly(
                PaymentStatus.WAITING, PaymentStatus.CONFIRMING, PaymentStatus.CONFIRMED, PaymentStatus.SENDING,
                PaymentStatus.FINISHED);
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_DROPPED, "kind", "repeat")).isEqualTo(2);
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_DROPPED, "kind", "regression")).isEqualTo(3);
    }

    @Test
    void paymentsAreDeduplicatedIndependently() {
        harness.send(anIpn().paymentId(1).status("finished"));
        harness.send(anIpn().paymentId(2).status("finished"));
        harness.send(anIpn().paymentId(1).status("finished"));

        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::paymentId).containsExactly(1L, 2L);
    }

    @Test
    void anEntryIsForgottenAfterTheRetentionSoALateRepeatIsTreatedAsNew() {
        harness.send(anIpn().paymentId(3).status("finished"));
        harness.advanceWallClock(Duration.ofDays(34));
        harness.send(anIpn().paymentId(3).status("finished"));
        assertThat(harness.enrichedValues()).hasSize(1);

        harness.advanceWallClock(Duration.ofDays(36));
        harness.send(anIpn().paymentId(3).status("finished"));

        // passes again: the sink's forward-only ledger is the final guard (see DedupeStep)
        assertThat(harness.enrichedValues()).hasSize(1);
        assertThat(harness.metrics.count(ProcessorMetrics.DEDUPE_EXPIRED)).isEqualTo(1);
    }

    /**
     * Each purge punctuation runs inside the open transaction, so it reads a bounded slice and the next one goes on
     * from there (found by review: one pass over a store of millions could outlast the transaction timeout).
     */
    @Test
    void theRetentionPurgeWorksThroughTheStoreASliceAtATime(@TempDir Path sliceStateDir) {
        try (TopologyHarness sliced = new TopologyHarness(sliceStateDir, 2)) {
            sliced.map(aMapping());
            for (long id = 11; id <= 15; id++) {
                sliced.send(anIpn().paymentId(id).status("finished"));
            }
            sliced.advanceWallClock(Duration.ofDays(36));
            assertThat(sliced.metrics.count(ProcessorMetrics.DEDUPE_EXPIRED)).isEqualTo(2);
            sliced.advanceWallClock(DedupeStep.PURGE_INTERVAL);
            assertThat(sliced.metrics.count(ProcessorMetrics.DEDUPE_EXPIRED)).isEqualTo(4);
            sliced.advanceWallClock(DedupeStep.PURGE_INTERVAL);
            assertThat(sliced.metrics.count(ProcessorMetrics.DEDUPE_EXPIRED)).isEqualTo(5);

            for (long id = 11; id <= 15; id++) {
                sliced.send(anIpn().paymentId(id).status("finished"));
            }
            // all five forgotten, so each passes again: the sink's forward-only ledger is the final guard
            assertThat(sliced.enrichedValues()).hasSize(10);
        }
    }
}
