package io.ipnpipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.slf4j.LoggerFactory;

/**
 * Dead letters and commands are kept forever on a real broker: a dead letter not redriven within the broker's
 * default seven days would otherwise be deleted, and the restore guard needs every command to read back. Existing
 * topics weaker than the min.insync.replicas rule are reported.
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

    /**
     * Topics created on a one-broker cluster, then a service started with replication factor 3: the broker's
     * effective min.insync.replicas (1) is below the rule, so each topic is reported (naming the fix) and left as it is.
     */
    @Test
    void existingTopicsWithTooFewInSyncReplicasAreReportedNotAltered() throws Exception {
        TopicNames names = TestNames.topics("topic-min-isr");
        Logger log = (Logger) LoggerFactory.getLogger(TopicCreator.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        try (Admin admin = TestKafka.admin(bootstrap)) {
            TopicCreator.ensure(admin, names, Topics.all(), (short) 1);
            String enriched = names.name(Topics.PAYMENTS_ENRICHED);
            await().atMost(Duration.ofSeconds(30)).until(() -> retention(admin, enriched) != null);

            assertThatCode(() -> TopicCreator.ensure(admin, names, Topics.all(), (short) 3)).doesNotThrowAnyException();

            List<String> warnings = events.list.stream().filter(event -> event.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            for (TopicSpec<?, ?> spec : Topics.all()) {
                assertThat(warnings).as(names.name(spec)).anySatisfy(warning -> assertThat(warning)
                        .contains("topic " + names.name(spec) + " has min.insync.replicas=1")
                        .contains("--add-config min.insync.replicas=2"));
            }
            assertThat(config(admin, enriched, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)).isEqualTo("1");
        } finally {
            log.detachAppender(events);
        }
    }

    /** Retried: a topic just created may not be known yet to the broker answering describeConfigs. */
    private static String retention(Admin admin, String topic) {
        return config(admin, topic, TopicConfig.RETENTION_MS_CONFIG);
    }

    private static String config(Admin admin, String topic, String key) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin
                .describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(key).value(), value -> value != null);
    }
}
