package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
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

    private ReadableMappings() {
    }

    static Serde<ChannelMapping> serde() {
        Serde<ChannelMapping> strict = Topics.CHANNEL_MAPPINGS.valueSerde();
        Deserializer<ChannelMapping> lenient = (topic, bytes) -> {
            try {
                return strict.deserializer().deserialize(topic, bytes);
            } catch (SerializationException e) {
                LOG.warn("unreadable channel mapping on {} treated as absent: {}", topic, e.getMessage());
                return null;
            }
        };
        return Serdes.serdeFrom(strict.serializer(), lenient);
    }
}
