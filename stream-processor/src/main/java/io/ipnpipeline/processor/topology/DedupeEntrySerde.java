package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.serde.JsonSerde;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The dedupe store's value format: read and written for every IPN, so a fixed binary layout instead of JSON:
 * {@code 0x01, rank (int), acceptedAtMs (long), status wire word (UTF-8)}. The status is stored by its wire word,
 * not its ordinal, so reordering the enum cannot change what an entry means.
 *
 * <p>Entries written by earlier versions (JSON, in local RocksDB files and in the changelog, which a restore
 * replays) start with {@code '{'} and are still read, so an upgrade keeps every payment's recorded status.
 */
final class DedupeEntrySerde implements Serde<DedupeEntry> {

    private static final byte VERSION_1 = 1;
    private static final int HEADER_LENGTH = 1 + Integer.BYTES + Long.BYTES;
    private static final JsonSerde<DedupeEntry> LEGACY_JSON = new JsonSerde<>(DedupeEntry.class);
    /** Every status and its wire word's bytes, by ordinal: an entry is read and written per IPN. */
    private static final PaymentStatus[] STATUSES = PaymentStatus.values();
    private static final byte[][] WIRES = new byte[STATUSES.length][];

    static {
        for (PaymentStatus status : STATUSES) {
            WIRES[status.ordinal()] = status.wire().getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Override
    public Serializer<DedupeEntry> serializer() {
        return (topic, entry) -> entry == null ? null : write(entry);
    }

    @Override
    public Deserializer<DedupeEntry> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(DedupeEntry entry) {
        byte[] wire = WIRES[entry.status().ordinal()];
        return ByteBuffer.allocate(HEADER_LENGTH + wire.length).put(VERSION_1).putInt(entry.rank())
                .putLong(entry.acceptedAtMs()).put(wire).array();
    }

    static DedupeEntry read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return LEGACY_JSON.read(bytes);
        }
        if (bytes.length <= HEADER_LENGTH || bytes[0] != VERSION_1) {
            throw new SerializationException("unknown dedupe entry format (" + bytes.length + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        int rank = buffer.getInt();
        long acceptedAtMs = buffer.getLong();
        return new DedupeEntry(status(bytes), rank, acceptedAtMs);
    }

    private static PaymentStatus status(byte[] bytes) {
        int length = bytes.length - HEADER_LENGTH;
        for (int i = 0; i < WIRES.length; i++) {
            if (WIRES[i].length == length && Arrays.equals(bytes, HEADER_LENGTH, bytes.length, WIRES[i], 0, length)) {
                return STATUSES[i];
            }
        }
        String wire = new String(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, StandardCharsets.US_ASCII);
        return PaymentStatus.fromWire(wire)
                .orElseThrow(() -> new SerializationException("unknown status in dedupe entry: " + wire));
    }
}
