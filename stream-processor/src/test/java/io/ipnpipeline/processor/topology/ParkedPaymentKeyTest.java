package io.ipnpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parking keys are in RocksDB and the changelog: their spelling must stay what it always was. */
class ParkedPaymentKeyTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 42, 1_000_000, 99_999_999_999L, Long.MAX_VALUE, -1, Long.MIN_VALUE})
    void keysAreTheChannelAndTheZeroPaddedOffset(long offset) {
        assertThat(ParkedPayment.key(-1003253338212L, offset))
                .isEqualTo("-1003253338212/" + String.format(Locale.ROOT, "%020d", offset));
    }

    @ParameterizedTest
    @ValueSource(longs = {9, 10, 99, 100, 123_456})
    void keysOfOneChannelSortInOffsetOrder(long offset) {
        assertThat(ParkedPayment.key(-5, offset).compareTo(ParkedPayment.key(-5, offset + 1))).isNegative();
        assertThat(ParkedPayment.channelOf(ParkedPayment.key(-5, offset))).isEqualTo(-5);
    }
}
