package io.ipnpipeline.support.kafka;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics as {@link io.ipnpipeline.contracts.topic.Topics} specifies them (partitions,
 * compaction, {@code retention.ms=-1} for the topics kept forever), leaving existing ones alone. Every service
 * calls it for the topics it touches, so start-up order does not matter.
 *
 * <p>An existing topic that should be kept forever but has a finite retention is reported, not altered: its
 * retention may be an operator's deliberate choice, and changing topic configs needs rights a service should not
 * need. The warning names the command that fixes it.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
    static final String KEEP_FOREVER = "-1";

    private TopicCreator() {
    }

    public static void ensure(Admin admin, TopicNames names, Collection<TopicSpec<?, ?>> specs,
            short replicationFactor) {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
        List<NewTopic> missing = specs.stream()
                .filter(spec -> !existing.contains(names.name(spec)))
                .map(spec -> newTopic(names.name(spec), spec, replicationFactor))
                .toList();
        warnAboutFiniteRetention(admin, specs.stream()
                .filter(spec -> spec.keptForever() && existing.contains(names.name(spec)))
                .map(names::name)
                .toList());
        if (missing.isEmpty()) {
            return;
        }
        missing.forEach(topic -> LOG.info("creating topic {} ({} partitions, {})", topic.name(),
                topic.numPartitions(), topic.configs()));
        admin.createTopics(missing).values().forEach((name, future) -> await(name, future));
    }

    static NewTopic newTopic(String name, TopicSpec<?, ?> spec, short replicationFactor) {
        String policy = spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
        Map<String, String> configs = spec.keptForever()
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy, TopicConfig.RETENTION_MS_CONFIG, KEEP_FOREVER)
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy);
        return new NewTopic(name, spec.defaultPartitions(), replicationFactor).configs(configs);
    }

    /** Best effort: a broker that will not describe configs costs the warning, never the start-up. */
    private static void warnAboutFiniteRetention(Admin admin, List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cannot check the retention of {}: {}", topics, e.getMessage());
            return;
        }
        configs.forEach((resource, config) -> {
            ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (retention != null && !KEEP_FOREVER.equals(retention.value())) {
                LOG.warn("topic {} has retention.ms={}: its records are deleted after that, and it should keep them "
                        + "(dead letters not yet redriven; commands the sink's restore guard reads back). Fix: "
                        + "kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config retention.ms=-1",
                        resource.name(), retention.value(), resource.name());
            }
        });
    }

    private static void await(String name, org.apache.kafka.common.KafkaFuture<Void> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + name, e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
    }
}
