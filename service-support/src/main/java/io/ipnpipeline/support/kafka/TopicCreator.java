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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics as {@link io.ipnpipeline.contracts.topic.Topics} specifies them (partitions,
 * compaction), leaving existing ones alone. Every service calls it for the topics it touches, so start-up
 * order does not matter.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

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
        if (missing.isEmpty()) {
            return;
        }
        missing.forEach(topic -> LOG.info("creating topic {} ({} partitions, {})", topic.name(),
                topic.numPartitions(), topic.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG)));
        admin.createTopics(missing).values().forEach((name, future) -> await(name, future));
    }

    private static NewTopic newTopic(String name, TopicSpec<?, ?> spec, short replicationFactor) {
        String policy = spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
        return new NewTopic(name, spec.defaultPartitions(), replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy));
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
