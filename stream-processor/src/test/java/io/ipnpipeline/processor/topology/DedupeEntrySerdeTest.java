package io.ipnpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.status.PaymentStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dedupe store's binary entries, and the JSON entries earlier versions left in RocksDB and the changelog. */
class DedupeEntrySerdeTest {

    @ParameterizedTest
    @EnumSource(PaymentStatus.class)
    void roundTripsEveryStatus(PaymentStatus status) {
        DedupeEntry entry = DedupeEntry.accepted(status, 1_764_000_000_123L);
        assertThat(DedupeEntrySerde.read(DedupeEntrySerde.write(entry))).isEqualTo(entry);
    }

    /** The layout is in RocksDB files and the changelog: it must never drift. */
    @Test
    void writesTheDocumentedLayout() {
        DedupeEntry entry = DedupeEntry.accepted(PaymentStatus.CONFIRMED, 0x0102030405060708L);
        byte[] expected = {1, 0, 0, 0, (byte) PaymentStatus.CONFIRMED.rank(), 1, 2, 3, 4, 5, 6, 7, 8,
            'c', 'o', 'n', 'f', 'i', 'r', 'm', 'e', 'd'};
        assertThat(DedupeEntrySerde.write(entry)).containsExactly(expected);
        assertThat(DedupeEntrySerde.read(expected)).isEqualTo(entry);
    }

    @Test
    void anUnknownStatusWordIsASerializationError() {
        byte[] bytes = DedupeEntrySerde.write(DedupeEntry.accepted(PaymentStatus.WAITING, 1L));
        bytes[bytes.length - 1] = 'X';
        assertThatThrownBy(() -> DedupeEntrySerde.read(bytes)).isInstanceOf(SerializationException.class);
    }

    @Test
    void readsTheJsonEntriesOfEarlierVersions() {
        DedupeEntry entry = DedupeEntry.accepted(PaymentStatus.CONFIRMING, 42L);
        byte[] legacy = new JsonSerde<>(DedupeEntry.class).write(entry);
        assertThat(DedupeEntrySerde.read(legacy)).isEqualTo(entry);
    }

    @Test
    void anUnknownFormatIsASerializationError() {
        assertThatThrownBy(() -> DedupeEntrySerde.read(new byte[] {9, 0, 0})).isInstanceOf(SerializationException.class);
    }
}
