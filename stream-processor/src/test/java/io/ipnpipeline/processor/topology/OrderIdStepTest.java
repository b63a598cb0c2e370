package io.ipnpipeline.processor.topology;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.processor.testdata.MappingBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Step 3: every order-id form is placed; anything else is an authentic payment sent on for review, not the DLQ. */
class OrderIdStepTest {

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "PGP-6271402111|-1003253338212",
            "PGP-6271402111-1003253338212",
            "PGP-6271402111--1003253338212",
            "  PGP-6271402111|-1003253338212  "})
    void everyKnownFormIsPlacedOnTheSameUserAndChannel(String orderId) {
        harness.send(anIpn().orderId(orderId));

        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.CONFIRMED);
        assertThat(payment.userId()).isEqualTo(IpnBuilder.USER);
        assertThat(payment.openChannelId()).isEqualTo(MappingBuilder.CHANNEL);
        assertThat(payment.privateChannelId()).isEqualTo(MappingBuilder.PRIVATE_CHANNEL);
        assertThat(payment.orderId()).isEqualTo(orderId);
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = ';', value = {
            "'';order_id is empty",
            "ORDER-42;order_id matches no known form",
            "PGP-6271402111|1003253338212;order_id has a channel id that is not negative",
            "PGP-0|-1003253338212;order_id has a user id that is not positive",
            "PGP-99999999999999999999|-1003253338212;order_id matches no known form",
            "PGP-9223372036854775808|-1003253338212;order_id has an id too large for a 64-bit integer"})
    void anUnplaceableOrderIdGoesOnAsNeedsReviewWithTheReason(String orderId, String reason) {
        harness.send(anIpn().orderId(orderId));

        assertNeedsReview(reason);
    }

    @ParameterizedTest
    @NullSource
    void aNullOrderIdGoesOnAsNeedsReview(String orderId) {
        harness.send(anIpn().orderId(orderId));

        assertNeedsReview("order_id is null");
    }

    private void assertNeedsReview(String reason) {
        EnrichedPayment payment = harness.enriched.readValue();
        assertThat(payment.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(payment.reviewReason()).isEqualTo(reason);
        assertThat(payment.isPlaced()).isFalse();
        assertThat(payment.userId()).isNull();
        assertThat(harness.dlq.isEmpty()).isTrue();
        assertThat(harness.metrics.count(ProcessorMetrics.NEEDS_REVIEW)).isEqualTo(1);
    }
}
