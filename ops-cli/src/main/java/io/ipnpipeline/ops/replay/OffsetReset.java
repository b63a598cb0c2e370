package io.ipnpipeline.ops.replay;

import io.ipnpipeline.ops.cli.OpsException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the processor's committed offsets on its input topic back, through the Admin API, so that on its next
 * start it re-reads from there. Safe by contract 6: the processor dedupes by payment id and status and the sink's
 * ledger only moves forward, so re-read IPNs change nothing that was already applied and issue no command twice.
 *
 * <p>Offsets of a group with live members cannot be moved safely (its members would commit over them), so the
 * reset refuses while the processor runs.
 */
public final class OffsetReset {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetReset.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final Comparator<TopicPartition> BY_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Admin admin;

    public OffsetReset(Admin admin) {
        this.admin = admin;
    }

    /** Where to start again: the beginning of the log, or the first record at or after a time. */
    public sealed interface From permits Earliest, At {
        static From parse(String text, Function<String, Instant> instants) {
            return "earliest".equalsIgnoreCase(text.strip()) ? new Earliest() : new At(instants.apply(text));
        }
    }

    public record Earliest() implements From {
        @Override
        public String toString() {
            return "earliest";
        }
    }

    public record At(Instant time) implements From {
        @Override
        public String toString() {
            return time.toString();
        }
    }

    /**
     * The offsets the group will have: per partition, current committed (or null) and new.
     *
     * @param held the partitions whose requested offset lay ahead of the group's: they keep the group's offset,
     *             because moving forward would skip IPNs the processor never read
     */
    public record Plan(String groupId, String topic, Map<TopicPartition, Long> current, Map<TopicPartition, Long> target,
            Set<TopicPartition> held) {
    }

    /** Refuses with {@link OpsException#REFUSED} while the group has members, i.e. the processor runs. */
    public void requireStopped(String groupId) {
        ConsumerGroupDescription group;
        try {
            group = await(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId));
        } catch (OpsException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        Collection<MemberDescription> members = group.members();
        if (!members.isEmpty()) {
            String hosts = members.stream().map(MemberDescription::host).distinct().sorted()
                    .collect(Collectors.joining(", "));
            throw new OpsException(OpsException.REFUSED, "refusing to replay: consumer group '" + groupId + "' has "
                    + members.size() + " active member(s) (" + hosts + "), so the stream processor is running. "
                    + "Stop every processor instance, then run replay again.");
        }
    }

    public Plan plan(String groupId, String topic, From from) {
        TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        List<TopicPartition> partitions = description.partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> requested = from instanceof At at
                ? atTime(partitions, at.time(), latest)
                : offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> current = committed(groupId, partitions);
        Map<TopicPartition, Long> target = byPartition(requested);
        Set<TopicPartition> held = new TreeSet<>(BY_PARTITION);
        current.forEach((partition, offset) -> {
            if (offset != null && target.get(partition) > offset) {
                target.put(partition, offset);
                held.add(partition);
            }
        });
        return new Plan(groupId, topic, current, target, held);
    }

    public void apply(Plan plan) {
        Map<TopicPartition, OffsetAndMetadata> offsets = plan.target().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        await(admin.alterConsumerGroupOffsets(plan.groupId(), offsets).all());
        LOG.info("replay: reset group {} on {} to {}", plan.groupId(), plan.topic(), plan.target());
    }

    /** A partition with no record at or after the time keeps nothing to replay: its end offset. */
    private Map<TopicPartition, Long> atTime(List<TopicPartition> partitions, Instant time,
            Map<TopicPartition, Long> latest) {
        Map<TopicPartition, Long> found = offsets(partitions, OffsetSpec.forTimestamp(time.toEpochMilli()));
        return partitions.stream().collect(Collectors.toMap(Function.identity(),
                partition -> found.get(partition) < 0 ? latest.get(partition) : found.get(partition)));
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), partition -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = await(admin.listOffsets(request).all());
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private Map<TopicPartition, Long> committed(String groupId, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> current = new TreeMap<>(BY_PARTITION);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            current.put(partition, offset == null ? null : offset.offset());
        }
        return current;
    }

    private static Map<TopicPartition, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> sorted = new TreeMap<>(BY_PARTITION);
        sorted.putAll(offsets);
        return sorted;
    }

    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted", e);
        } catch (ExecutionException e) {
            throw new OpsException("Kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new OpsException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
