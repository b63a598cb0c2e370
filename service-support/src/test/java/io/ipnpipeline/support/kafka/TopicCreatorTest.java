package io.ipnpipeline.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import java.util.List;
import java.util.Map;
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
}
