package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.support.kafka.TopicCreator;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Dead letters and commands are kept forever on a real broker: a dead letter not redriven within the broker's
 * default seven days would otherwise be deleted, and the restore guard needs every command to read back.
 */
class TopicRetentionIT {

    private static final List<TopicSpec<?, ?>> KEPT_FOREVER = List.of(Topics.IPN_DLQ, Topics.SINK_DLQ,
            Topics.COMMANDS_INVITE, Topics.COMMANDS_PAYOUT);

    private final String bootstrap = TestInfra.bootstrapServers();

    @Test
    void deadLetterAndCommandTopicsAreCreatedWithoutRetentionLimit() throws Exception {
        TopicNames names = TestNames.topics("topic-retention");
        try (Admin admin = TestKafka.admin(bootstrap)) {
            TopicCreator.ensure(admin, names, Topics.all(), (short) 1);
            for (TopicSpec<?, ?> spec : KEPT_FOREVER) {
                assertThat(retention(admin, names.name(spec))).as(names.name(spec)).isEqualTo("-1");
            }
            assertThat(retention(admin, names.name(Topics.PAYMENTS_ENRICHED))).isNotEqualTo("-1");
            // every service ensures its topics at each start: existing ones are left alone, never an error
            assertThatCode(() -> TopicCreator.ensure(admin, names, Topics.all(), (short) 1)).doesNotThrowAnyException();
        }
    }

    @Test
    void anExistingCommandTopicWithFiniteRetentionIsLeftAsItIs() throws Exception {
        TopicNames names = TestNames.topics("topic-retention-existing");
        String invites = names.name(Topics.COMMANDS_INVITE);
        try (Admin admin = TestKafka.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(invites, 3, (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "604800000")))).all().get(30, TimeUnit.SECONDS);
            assertThatCode(() -> TopicCreator.ensure(admin, names, Topics.all(), (short) 1)).doesNotThrowAnyException();
            // reported in the log with the fix, not altered behind the operator's back
            assertThat(retention(admin, invites)).isEqualTo("604800000");
            assertThat(retention(admin, names.name(Topics.COMMANDS_PAYOUT))).isEqualTo("-1");
        }
    }

    /** Retried: a topic just created may not be known yet to the broker answering describeConfigs. */
    private static String retention(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin
                .describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG).value(), value -> value != null);
    }
}
