package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
import java.nio.ByteBuffer;
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
        Map<ByteBuffer, ChannelMapping> read = new ConcurrentHashMap<>();
        Deserializer<ChannelMapping> lenient = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            // every payment looks its channel up, and the store hands back bytes: a row read before is not
            // parsed again (a mapping is immutable and a pure function of its bytes)
            ByteBuffer content = ByteBuffer.wrap(bytes);
            ChannelMapping known = read.get(content);
            if (known != null) {
                return known;
            }
            try {
                ChannelMapping mapping = strict.deserializer().deserialize(topic, bytes);
                remember(read, content, mapping);
                return mapping;
            } catch (SerializationException e) {
                LOG.warn("unreadable channel mapping on {} treated as absent: {}", topic, e.getMessage());
                return null;
            }
        };
        return Serdes.serdeFrom(strict.serializer(), lenient);
    }

    private static void remember(Map<ByteBuffer, ChannelMapping> read, ByteBuffer content, ChannelMapping mapping) {
        if (mapping == null) {
            return;
        }
        if (read.size() >= MAX_REMEMBERED) {
            // rows replaced by newer versions would otherwise stay forever; starting over costs one parse a row
            read.clear();
        }
        read.put(ByteBuffer.wrap(content.array().clone()), mapping);
    }
}
