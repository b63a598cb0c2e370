package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** Read access to the GlobalKTable of channel mappings, by open channel id. */
final class ChannelMappings {

    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<ChannelMapping>> store;

    ChannelMappings(ReadOnlyKeyValueStore<String, ValueAndTimestamp<ChannelMapping>> store) {
        this.store = store;
    }

    Optional<ChannelMapping> find(long openChannelId) {
        ValueAndTimestamp<ChannelMapping> entry = store.get(Long.toString(openChannelId));
        return Optional.ofNullable(entry).map(ValueAndTimestamp::value);
    }
}
