package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.registry.ops.RegistryMetrics;
import io.ipnpipeline.registry.publish.Change;
import io.ipnpipeline.registry.publish.MappingPublisher;
import io.ipnpipeline.registry.publish.PublishedState;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestTopic;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/**
 * A leader that lost its database session (and so its lock) but has not noticed yet cannot write after a
 * new leader opened its publisher: the shared transactional.id fences it.
 */
class FencingIT {

    @Test
    void anOldLeadersPublisherIsFencedByTheNewLeadersAndWritesNothing() {
        String bootstrap = TestInfra.bootstrapServers();
        String topic = TestNames.unique("registry-fencing") + ".channel.mappings";
        TestKafka.createTopic(bootstrap, topic, 3);
        RegistryMetrics metrics = new RegistryMetrics();
        Change stale = new Change.Upsert("-1001000000401", channel(-1001000000401L).wallet("TStale").build());
        Change fresh = new Change.Upsert("-1001000000401", channel(-1001000000401L).wallet("TFresh").build());

        try (MappingPublisher oldLeader = MappingPublisher.open(bootstrap, topic, "old", metrics);
                MappingPublisher newLeader = MappingPublisher.open(bootstrap, topic, "new", metrics)) {
            newLeader.publish(List.of(fresh), PublishedState.empty(), false);

            assertThatThrownBy(() -> oldLeader.publish(List.of(stale), PublishedState.empty(), false))
                    .isInstanceOf(KafkaException.class);
        }

        TestTopic<String, ChannelMapping> written = new TestTopic<>(topic, Topics.CHANNEL_MAPPINGS.keySerde(),
                Topics.CHANNEL_MAPPINGS.valueSerde());
        assertThat(TestKafka.readAll(bootstrap, written)).extracting(record -> record.value().clientWalletAddress())
                .containsExactly("TFresh");
    }
}
