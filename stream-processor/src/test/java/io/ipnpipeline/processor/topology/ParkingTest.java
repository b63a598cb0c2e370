package io.ipnpipeline.processor.topology;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.processor.testdata.MappingBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 4: a payment for an unmapped channel is parked, visible, and released when the mapping arrives. */
class ParkingTest {

    private static final long OTHER_CHANNEL = -1001111111111L;
    private static final Duration RELEASE_TICK = PlacementStep.RELEASE_INTERVAL;

    @TempDir
    Path stateDir;
    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(stateDir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aPaymentForAnUnmappedChannelIsParkedAndSaidToAwaitItsMapping() {
        harness.send(anIpn().paymentId(1).status("finished"));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.AWAITING_MAPPING);
        assertThat(payment.isPlaced()).isFalse();
        // the status API finds the payment by these two: without them the customer would see "pending"
        assertThat(payment.userId()).isEqualTo(IpnBuilder.USER);
        assertThat(payment.openChannelId()).isEqualTo(MappingBuilder.CHANNEL);
        assertThat(payment.privateChannelId()).isNull();
        assertThat(parked()).hasSize(1);
        assertThat(harness.metrics.count(ProcessorMetrics.PARKED)).isEqualTo(1);
    }

    @Test
    void whenTheMappingArrivesTheParkedPaymentsAreReleasedInArrivalOrderWithinATick() {
        harness.send(anIpn().paymentId(3).status("finished"));
        harness.send(anIpn().paymentId(1).status("waiting"));
        harness.send(anIpn().paymentId(2).status("finished"));
        harness.send(anIpn().paymentId(1).status("confirming"));
        harness.enrichedValues();

        harness.advanceWallClock(RELEASE_TICK);
        assertThat(harness.enriched.isEmpty()).as("nothing released before the mapping exists").isTrue();

        harness.map(aMapping());
        harness.advanceWallClock(RELEASE_TICK);

        List<EnrichedPayment> released = harness.enrichedValues();
        assertThat(released).extracting(EnrichedPayment::paymentId, EnrichedPayment::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3L, PaymentStatus.FINISHED),
                org.assertj.core.groups.Tuple.tuple(1L, PaymentStatus.WAITING),
                org.assertj.core.groups.Tuple.tuple(2L, PaymentStatus.FINISHED),
                org.assertj.core.groups.Tuple.tuple(1L, PaymentStatus.CONFIRMING));
        assertThat(released).allSatisfy(payment -> {
            assertThat(payment.isPlaced()).isTrue();
            assertThat(payment.privateChannelId()).isEqualTo(MappingBuilder.PRIVATE_CHANNEL);
        });
        assertThat(parked()).isEmpty();
        assertThat(harness.metrics.count(ProcessorMetrics.RELEASED)).isEqualTo(4);

        harness.advanceWallClock(RELEASE_TICK);
        assertThat(harness.enriched.isEmpty()).as("released once only").isTrue();
    }

    @Test
    void theReleasedRecordMovesForwardFromAwaitingMappingAtTheSameStatus() {
        harness.send(anIpn().paymentId(1).status("finished"));
        EnrichedPayment awaiting = harness.enriched.readValue();
        harness.map(aMapping());
        harness.advanceWallClock(RELEASE_TICK);
        EnrichedPayment placed = harness.enriched.readValue();

        assertThat(placed.statusWord()).isEqualTo(StatusWord.CONFIRMED);
        assertThat(Progress.advances(awaiting.status(), awaiting.progressRank(), placed.status(),
                placed.progressRank())).isTrue();
    }

    @Test
    void aMappingForAnotherChannelReleasesNothing() {
        harness.send(anIpn().paymentId(1));
        harness.enrichedValues();

        harness.map(aMapping().openChannel(OTHER_CHANNEL));
        harness.advanceWallClock(RELEASE_TICK.multipliedBy(3));

        assertThat(harness.enriched.isEmpty()).isTrue();
        assertThat(parked()).hasSize(1);
    }

    @Test
    void aNewRecordForTheChannelReleasesTheParkedOnesFirst() {
        harness.send(anIpn().paymentId(1).status("finished"));
        harness.enrichedValues();
        harness.map(aMapping());

        harness.send(anIpn().paymentId(2).status("finished"));

        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::paymentId, EnrichedPayment::statusWord)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, StatusWord.CONFIRMED),
                        org.assertj.core.groups.Tuple.tuple(2L, StatusWord.CONFIRMED));
        assertThat(parked()).isEmpty();
    }

    @Test
    void aMappingTombstoneDoesNotUndoWhatWasProcessedAndParksWhatComesAfter() {
        harness.map(aMapping());
        harness.send(anIpn().paymentId(1).status("finished"));
        assertThat(harness.enriched.readValue().statusWord()).isEqualTo(StatusWord.CONFIRMED);

        harness.unmap(MappingBuilder.CHANNEL);
        harness.advanceWallClock(RELEASE_TICK);
        assertThat(harness.enriched.isEmpty()).as("no retraction of an emitted payment").isTrue();

        harness.send(anIpn().paymentId(1).status("refunded"));
        harness.send(anIpn().paymentId(2).status("finished"));
        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::statusWord)
                .containsExactly(StatusWord.AWAITING_MAPPING, StatusWord.AWAITING_MAPPING);

        harness.map(aMapping());
        harness.advanceWallClock(RELEASE_TICK);
        assertThat(harness.enrichedValues()).extracting(EnrichedPayment::statusWord)
                .containsExactly(StatusWord.REFUNDED, StatusWord.CONFIRMED);
    }

    @Test
    void anUnreadableMappingCountsAsNoMappingAndNothingStops() {
        harness.mappings.pipeInput(MappingBuilder.CHANNEL + "", null, 0L);
        harness.driver.createInputTopic(io.ipnpipeline.contracts.topic.Topics.CHANNEL_MAPPINGS.defaultName(),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())
                .pipeInput(MappingBuilder.CHANNEL + "", "{\"open_channel_id\": \"not a mapping\"");

        harness.send(anIpn().paymentId(1));

        assertThat(harness.enriched.readValue().statusWord()).isEqualTo(StatusWord.AWAITING_MAPPING);
        harness.map(aMapping());
        harness.advanceWallClock(RELEASE_TICK);
        assertThat(harness.enriched.readValue().statusWord()).isEqualTo(StatusWord.CONFIRMED);
    }

    private List<String> parked() {
        KeyValueStore<String, ParkedPayment> store = harness.driver.getKeyValueStore(PaymentTopology.PARKING_STORE);
        List<String> keys = new java.util.ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }
}
