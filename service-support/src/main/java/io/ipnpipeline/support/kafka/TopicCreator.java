package io.ipnpipeline.support.kafka;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
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
 * <p>On a replicated cluster every topic gets {@code min.insync.replicas} ({@link #minInSyncReplicas}): the
 * producers use {@code acks=all}, which only waits for the replicas currently in sync, and with the broker default of
 * 1 an ISR shrunk to the leader acknowledges on that one broker alone, so a 200 for a paid IPN would rest on one
 * disk (or page cache).
 *
 * <p>An existing topic that should be kept forever but has a finite retention, or whose {@code min.insync.replicas}
 * is below that rule, is reported, not altered: the value may be an operator's deliberate choice, and changing topic
 * configs needs rights a service should not need. The warning names the command that fixes it.
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
        warnAboutWeakConfigs(admin, specs.stream()
                .filter(spec -> existing.contains(names.name(spec)))
                .collect(Collectors.toMap(names::name, TopicSpec::keptForever, (a, b) -> a || b)),
                replicationFactor);
        if (missing.isEmpty()) {
            return;
        }
        missing.forEach(topic -> LOG.info("creating topic {} ({} partitions, {})", topic.name(),
                topic.numPartitions(), topic.configs()));
        admin.createTopics(missing).values().forEach((name, future) -> await(name, future));
    }

    static NewTopic newTopic(String name, TopicSpec<?, ?> spec, short replicationFactor) {
        String policy = spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, policy);
        if (spec.keptForever()) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, KEEP_FOREVER);
        }
        minInSyncReplicas(replicationFactor).ifPresent(
                minIsr -> configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minIsr)));
        return new NewTopic(name, spec.defaultPartitions(), replicationFactor).configs(Map.copyOf(configs));
    }

    /**
     * The {@code min.insync.replicas} a topic of this replication factor gets: min(2, RF - 1), and nothing where that
     * is 1 (the broker default; writing it would only override an operator's broker-wide setting). RF 3 gives 2: an
     * acknowledged record is on two brokers, and one broker may be down (a rolling restart) without blocking writes.
     * RF 2 gives 1, not 2: with 2 every broker restart would refuse every write (gateway 503s, processor stalled),
     * so RF 2 buys availability, not durability; a deployment that needs both runs RF 3. Kafka Streams' internal
     * topics get the same value ({@code ProcessorConfig}).
     */
    public static OptionalInt minInSyncReplicas(short replicationFactor) {
        int minIsr = Math.min(2, replicationFactor - 1);
        return minIsr > 1 ? OptionalInt.of(minIsr) : OptionalInt.empty();
    }

    /**
     * Best effort: a broker that will not describe configs costs the warnings, never the start-up.
     *
     * @param topics existing topics, each with whether it should be kept forever
     */
    private static void warnAboutWeakConfigs(Admin admin, Map<String, Boolean> topics, short replicationFactor) {
        OptionalInt minIsr = minInSyncReplicas(replicationFactor);
        Map<String, Boolean> checked = new HashMap<>(topics);
        if (minIsr.isEmpty()) {
            checked.values().removeIf(keptForever -> !keptForever);
        }
        if (checked.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = checked.keySet().stream().sorted()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cannot check the retention and min.insync.replicas of {}: {}", checked.keySet(), e.getMessage());
            return;
        }
        configs.forEach((resource, config) -> {
            ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (checked.get(resource.name()) && retention != null && !KEEP_FOREVER.equals(retention.value())) {
                LOG.warn("topic {} has retention.ms={}: its records are deleted after that, and it should keep them "
                        + "(dead letters not yet redriven; commands the sink's restore guard reads back). Fix: "
                        + "kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config retention.ms=-1",
                        resource.name(), retention.value(), resource.name());
            }
        });
        minIsr.ifPresent(required -> belowMinInSyncReplicas(configs, required).forEach((topic, actual) -> LOG.warn(
                "topic {} has min.insync.replicas={}: with acks=all a write is acknowledged by that many brokers only, "
                        + "so one broker's loss can lose an acknowledged payment; replication factor {} wants {}. Fix: "
                        + "kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config "
                        + "min.insync.replicas={}", topic, actual, replicationFactor, required, topic, required)));
    }

    /** The described topics whose (effective) min.insync.replicas is below {@code required}, with their value. */
    static Map<String, String> belowMinInSyncReplicas(Map<ConfigResource, Config> configs, int required) {
        Map<String, String> weak = new TreeMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry minIsr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            String value = minIsr == null || minIsr.value() == null ? "1" : minIsr.value();
            if (Integer.parseInt(value) < required) {
                weak.put(resource.name(), value);
            }
        });
        return weak;
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
