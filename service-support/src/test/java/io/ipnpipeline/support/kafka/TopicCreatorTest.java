package io.ipnpipeline.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The configs a new topic is created with; the broker round trip is in sink-writer's TopicRetentionIT. */
class TopicCreatorTest {

    @Test
    void deadLettersAndCommandsAreKeptForever() {
        for (TopicSpec<?, ?> spec : List.of(Topics.IPN_DLQ, Topics.SINK_DLQ, Topics.COMMANDS_INVITE,
                Topics.COMMANDS_PAYOUT)) {
            assertThat(TopicCreator.newTopic(spec.defaultName(), spec, (short) 1).configs())
                    .as(spec.defaultName())
                    .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1")
                    .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        }
    }

    @Test
    void otherTopicsKeepTheBrokerDefault() {
        for (TopicSpec<?, ?> spec : List.of(Topics.IPN_RAW, Topics.PAYMENTS_ENRICHED, Topics.CHANNEL_MAPPINGS,
                Topics.OUTBOX_POSITION)) {
            Map<String, String> configs = TopicCreator.newTopic(spec.defaultName(), spec, (short) 1).configs();
            assertThat(configs).as(spec.defaultName()).doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
        }
    }

    @Test
    void aReplicatedClusterNeedsTwoBrokersForEveryAcknowledgedWrite() {
        for (TopicSpec<?, ?> spec : Topics.all()) {
            assertThat(TopicCreator.newTopic(spec.defaultName(), spec, (short) 3).configs())
                    .as(spec.defaultName())
                    .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        assertThat(TopicCreator.minInSyncReplicas((short) 5)).hasValue(2);
    }

    /** RF 1: nothing to ask for. RF 2: 2 would make every broker restart refuse every write (see minInSyncReplicas). */
    @Test
    void withoutAThirdReplicaTheBrokerDefaultStays() {
        for (short rf : new short[] {1, 2}) {
            assertThat(TopicCreator.newTopic("t", Topics.PAYMENTS_ENRICHED, rf).configs()).as("rf %d", rf)
                    .doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            assertThat(TopicCreator.minInSyncReplicas(rf)).as("rf %d", rf).isEmpty();
        }
    }

    @Test
    void existingTopicsBelowTheRuleAreReported() {
        Map<ConfigResource, Config> described = Map.of(
                topic("weak"), config("1"),
                topic("strong"), config("2"),
                topic("stronger"), config("3"));

        assertThat(TopicCreator.belowMinInSyncReplicas(described, 2)).containsExactly(Map.entry("weak", "1"));
        assertThat(TopicCreator.belowMinInSyncReplicas(described, 3))
                .containsOnlyKeys("weak", "strong");
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static Config config(String minInSyncReplicas) {
        return new Config(List.of(new ConfigEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInSyncReplicas)));
    }
}
