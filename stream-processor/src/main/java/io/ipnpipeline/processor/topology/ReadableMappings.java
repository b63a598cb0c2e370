package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.AmountRange;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code channel.mappings} value serde of the contracts, except that an unreadable registry row reads as "no
 * mapping" instead of throwing. The global table is updated by its own thread, which a deserialisation error
 * would stop (and with it the whole application); reading the row as absent parks that channel's payments, where
 * they are visible as awaiting_mapping, until the registry publishes a readable row.
 */
final class ReadableMappings {

    private static final Logger LOG = LoggerFactory.getLogger(ReadableMappings.class);
    /** Parsed rows kept, by their bytes (some 15 MiB at most): more than the registry's channels. */
    private static final int MAX_REMEMBERED = 10_000;

    private ReadableMappings() {
    }

    static Serde<ChannelMapping> serde() {
        Serde<ChannelMapping> strict = Topics.CHANNEL_MAPPINGS.valueSerde();
        Map<RowBytes, ChannelMapping> read = new ConcurrentHashMap<>();
        Deserializer<ChannelMapping> lenient = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            // every payment looks its channel up, and the store hands back bytes: a row read before is not
            // parsed again (a mapping is immutable and a pure function of its bytes)
            RowBytes content = new RowBytes(bytes);
            ChannelMapping known = read.get(content);
            if (known != null) {
                return known;
            }
            try {
                ChannelMapping mapping = strict.deserializer().deserialize(topic, bytes);
                if (mapping != null && !amountsInRange(mapping)) {
                    LOG.warn("channel mapping {} on {} treated as absent: a price or threshold is out of range",
                            mapping.openChannelId(), topic);
                    return null;
                }
                remember(read, content, mapping);
                return mapping;
            } catch (SerializationException e) {
                LOG.warn("unreadable channel mapping on {} treated as absent: {}", topic, e.getMessage());
                return null;
            }
        };
        return Serdes.serdeFrom(strict.serializer(), lenient);
    }

    /**
     * Prices and the threshold within the IPN amounts' range. A price like 1E-1000000 is a valid decimal, but
     * every tier match would round it to cents (a million-digit division) and the enriched record would spell it
     * out plain, digit by digit; the registry's columns (NUMERIC(12, 2)) never hold such a value.
     */
    static boolean amountsInRange(ChannelMapping mapping) {
        return AmountRange.inRange(mapping.sub1Price()) && AmountRange.inRange(mapping.sub2Price())
                && AmountRange.inRange(mapping.sub3Price()) && AmountRange.inRange(mapping.payoutThresholdUsd());
    }

    private static void remember(Map<RowBytes, ChannelMapping> read, RowBytes content, ChannelMapping mapping) {
        if (mapping == null) {
            return;
        }
        if (read.size() >= MAX_REMEMBERED) {
            // rows replaced by newer versions would otherwise stay forever; starting over costs one parse a row
            read.clear();
        }
        read.put(new RowBytes(content.bytes.clone()), mapping);
    }

    /**
     * A row's bytes as a map key. The hash covers the start (where the channel id is) and the end (where
     * updated_at is), not every byte: rows of one registry differ there, and equality still compares all bytes.
     */
    private static final class RowBytes {
        private static final int SAMPLE = 48;
        private final byte[] bytes;
        private final int hash;

        RowBytes(byte[] bytes) {
            this.bytes = bytes;
            int h = bytes.length;
            int head = Math.min(SAMPLE, bytes.length);
            for (int i = 0; i < head; i++) {
                h = 31 * h + bytes[i];
            }
            for (int i = Math.max(head, bytes.length - SAMPLE); i < bytes.length; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RowBytes row && row.hash == hash && Arrays.equals(row.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
