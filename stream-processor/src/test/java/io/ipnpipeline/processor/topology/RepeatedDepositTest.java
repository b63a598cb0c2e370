package io.ipnpipeline.processor.topology;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.order.OrderIdParser;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.processor.testdata.MappingBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repeated deposit (parent_payment_id set) is held for review unless an operator decides to place it
 * ({@code payment retry --accept-repeated-deposit}): a reconciliation record naming the payment in
 * {@code ipn.accept_repeated_deposit}. The same header on a gateway record decides nothing.
 */
class RepeatedDepositTest {

    private static final long PARENT = 4479119533L;
    private static final long CHILD = 4479119534L;

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

    private static IpnBuilder child() {
        // the customer topped up with the 5.00 tier's price: the child is placed at its own price, not the parent's
        return anIpn().paymentId(CHILD).status("finished").priceAmount("5.00")
                .rawField("parent_payment_id", Long.toString(PARENT));
    }

    @Test
    void theOperatorsDecisionOnAReconciliationRecordPlacesTheChildAsAPaymentOfItsOwn() {
        harness.map(aMapping());
        harness.send(child());
        assertThat(harness.enriched.readValue().reviewReason()).isEqualTo("repeated deposit to payment " + PARENT);

        harness.sendWithHeaders(child().key(), child().bytes(), IpnProvenance.acceptingRepeatedDeposit(CHILD));

        EnrichedPayment placed = harness.enriched.readValue();
        assertThat(placed.paymentId()).isEqualTo(CHILD);
        assertThat(placed.isPlaced()).isTrue();
        assertThat(placed.statusWord()).isEqualTo(StatusWord.CONFIRMED);
        assertThat(placed.reviewReason()).isNull();
        assertThat(placed.tierIndex()).isEqualTo(2);
        assertThat(placed.subscriptionDays()).isEqualTo(90);
        assertThat(placed.privateChannelId()).isEqualTo(MappingBuilder.PRIVATE_CHANNEL);
        assertThat(placed.parentPaymentId()).isEqualTo(PARENT);
        assertThat(harness.enriched.isEmpty()).isTrue();
    }

    @Test
    void theHeaderOnAGatewayRecordIsIgnoredAndTheChildIsHeld() {
        harness.map(aMapping());
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED,
                "current"));
        headers.put(HeaderNames.IPN_ACCEPT_REPEATED_DEPOSIT, Long.toString(CHILD));

        harness.sendWithHeaders(child().key(), child().bytes(), headers);

        EnrichedPayment held = harness.enriched.readValue();
        assertThat(held.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
        assertThat(held.reviewReason()).isEqualTo("repeated deposit to payment " + PARENT);
        assertThat(held.isPlaced()).isFalse();
    }

    @Test
    void aPlainRetryOrADecisionForAnotherPaymentHoldsTheChildAgain() {
        harness.map(aMapping());
        harness.sendWithHeaders(child().key(), child().bytes(), IpnProvenance.fromReconciliation());
        harness.sendWithHeaders(child().key(), child().bytes(), IpnProvenance.acceptingRepeatedDeposit(PARENT));

        assertThat(harness.enrichedValues()).hasSize(2).allSatisfy(held -> {
            assertThat(held.statusWord()).isEqualTo(StatusWord.NEEDS_REVIEW);
            assertThat(held.isPlaced()).isFalse();
        });
    }

    @Test
    void theDecisionSurvivesParkingUntilTheMappingArrives() {
        harness.sendWithHeaders(child().key(), child().bytes(), IpnProvenance.acceptingRepeatedDeposit(CHILD));
        assertThat(harness.enriched.readValue().statusWord()).isEqualTo(StatusWord.AWAITING_MAPPING);

        harness.map(aMapping());
        harness.advanceWallClock(PlacementStep.RELEASE_INTERVAL);

        EnrichedPayment placed = harness.enriched.readValue();
        assertThat(placed.paymentId()).isEqualTo(CHILD);
        assertThat(placed.isPlaced()).isTrue();
    }

    /** Parked entries written before the decision was kept have no such field: they read as not accepted. */
    @Test
    void aParkedEntryFromBeforeTheFieldExistedReadsAsNotAccepted() throws Exception {
        JsonSerde<ParkedPayment> serde = new JsonSerde<>(ParkedPayment.class);
        Ipn ipn = ((IpnParser.Parsed) IpnParser.parse(child().bytes())).ipn();
        ParkedPayment accepted = new ParkedPayment(ipn, ((OrderIdParser.Parsed) OrderIdParser.parse(ipn.orderId())).orderId(),
                TopologyHarness.RECEIVED_AT, true);
        ObjectNode stored = (ObjectNode) Json.mapper().readTree(serde.serializer().serialize("t", accepted));
        assertThat(stored.remove("repeated_deposit_accepted")).isNotNull();

        ParkedPayment old = serde.deserializer().deserialize("t", Json.mapper().writeValueAsBytes(stored));

        assertThat(old.repeatedDepositAccepted()).isFalse();
        assertThat(old.ipn().paymentId()).isEqualTo(CHILD);
    }
}
