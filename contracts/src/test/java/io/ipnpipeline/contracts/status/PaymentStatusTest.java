package io.ipnpipeline.contracts.status;

import static io.ipnpipeline.contracts.status.PaymentStatus.CONFIRMED;
import static io.ipnpipeline.contracts.status.PaymentStatus.CONFIRMING;
import static io.ipnpipeline.contracts.status.PaymentStatus.EXPIRED;
import static io.ipnpipeline.contracts.status.PaymentStatus.FAILED;
import static io.ipnpipeline.contracts.status.PaymentStatus.FINISHED;
import static io.ipnpipeline.contracts.status.PaymentStatus.PARTIALLY_PAID;
import static io.ipnpipeline.contracts.status.PaymentStatus.REFUNDED;
import static io.ipnpipeline.contracts.status.PaymentStatus.SENDING;
import static io.ipnpipeline.contracts.status.PaymentStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PaymentStatusTest {

    /** The whole forward relation, written out by hand so a change to the ranks cannot silently change it. */
    private static final Map<PaymentStatus, Set<PaymentStatus>> FORWARD = Map.of(
            WAITING, EnumSet.of(CONFIRMING, CONFIRMED, SENDING, PARTIALLY_PAID, FINISHED, FAILED, EXPIRED, REFUNDED),
            CONFIRMING, EnumSet.of(CONFIRMED, SENDING, PARTIALLY_PAID, FINISHED, FAILED, EXPIRED, REFUNDED),
            CONFIRMED, EnumSet.of(SENDING, PARTIALLY_PAID, FINISHED, FAILED, EXPIRED, REFUNDED),
            SENDING, EnumSet.of(PARTIALLY_PAID, FINISHED, FAILED, EXPIRED, REFUNDED),
            PARTIALLY_PAID, EnumSet.of(FINISHED, FAILED, EXPIRED, REFUNDED),
            FINISHED, EnumSet.of(REFUNDED),
            FAILED, EnumSet.noneOf(PaymentStatus.class),
            EXPIRED, EnumSet.noneOf(PaymentStatus.class),
            REFUNDED, EnumSet.noneOf(PaymentStatus.class));

    @ParameterizedTest
    @EnumSource(PaymentStatus.class)
    void everyPairFollowsTheForwardTable(PaymentStatus from) {
        for (PaymentStatus to : PaymentStatus.values()) {
            assertThat(from.canAdvanceTo(to))
                    .as("%s -> %s", from, to)
                    .isEqualTo(FORWARD.get(from).contains(to));
        }
    }

    @Test
    void usualOrderMovesForward() {
        assertThat(WAITING.canAdvanceTo(CONFIRMING)).isTrue();
        assertThat(CONFIRMING.canAdvanceTo(CONFIRMED)).isTrue();
        assertThat(CONFIRMED.canAdvanceTo(SENDING)).isTrue();
        assertThat(SENDING.canAdvanceTo(FINISHED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(PaymentStatus.class)
    void aRepeatIsNeverForward(PaymentStatus status) {
        assertThat(status.canAdvanceTo(status)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(PaymentStatus.class)
    void wireWordsRoundTrip(PaymentStatus status) {
        assertThat(PaymentStatus.fromWire(status.wire())).contains(status);
        assertThat(PaymentStatus.fromWire(" " + status.wire().toUpperCase(Locale.ROOT) + " ")).contains(status);
    }

    @Test
    void unknownWordsAreEmpty() {
        assertThat(PaymentStatus.fromWire("paid")).isEmpty();
        assertThat(PaymentStatus.fromWire(null)).isEmpty();
        assertThat(PaymentStatus.fromWire("")).isEmpty();
    }

    @Test
    void placedWordsMatchTheDesign() {
        assertThat(StatusWord.forPlaced(WAITING)).isEqualTo(StatusWord.PROCESSING);
        assertThat(StatusWord.forPlaced(SENDING)).isEqualTo(StatusWord.PROCESSING);
        assertThat(StatusWord.forPlaced(FINISHED)).isEqualTo(StatusWord.CONFIRMED);
        assertThat(StatusWord.forPlaced(PARTIALLY_PAID)).isEqualTo(StatusWord.PARTIALLY_PAID);
        assertThat(StatusWord.forPlaced(REFUNDED)).isEqualTo(StatusWord.REFUNDED);
        assertThat(StatusWord.fromWord("awaiting_mapping")).contains(StatusWord.AWAITING_MAPPING);
    }
}
