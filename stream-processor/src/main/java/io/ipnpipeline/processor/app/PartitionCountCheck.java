package io.ipnpipeline.processor.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start when the source topic has a different partition count than the changelogs of the stores fed
 * from it. Kafka Streams would otherwise fail every stream thread at every rebalance ("Existing internal topic ...
 * has invalid partitions"), and the dedupe state of a payment lives in the store partition of its key's old
 * partition: there is no safe way to go on with the same application id. Saying so at start, with both counts,
 * beats a processor that starts and never processes anything.
 */
final class PartitionCountCheck {

    static final String README_SECTION = "README 'Changing the partition count of ipn.raw'";

    private static final Logger LOG = LoggerFactory.getLogger(PartitionCountCheck.class);

    private PartitionCountCheck() {
    }

    /** Thrown when the counts differ; the message names both and what to do. */
    static final class PartitionCountMismatch extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PartitionCountMismatch(String message) {
            super(message);
        }
    }

    static void verify(Admin admin, Topology topology, String applicationId, String sourceTopic) {
        Set<String> changelogs = changelogsFedBy(topology, applicationId, sourceTopic);
        Map<String, Integer> counts = partitionCounts(admin, changelogs, sourceTopic);
        Integer source = counts.get(sourceTopic);
        if (source == null) {
            return; // just created by ensureTopics on a broker that has not propagated it yet; nothing to compare
        }
        for (String changelog : changelogs) {
            Integer stateCount = counts.get(changelog);
            if (stateCount != null && !stateCount.equals(source)) {
                String message = String.format("%s has %d partitions but the existing state of application id '%s' "
                        + "has %d (changelog %s): the partition count of %s is fixed once the processor has run, "
                        + "because each payment's dedupe state lives in the partition of its key. Refusing to start; "
                        + "see %s", sourceTopic, source, applicationId, stateCount, changelog, sourceTopic,
                        README_SECTION);
                LOG.error(message);
                throw new PartitionCountMismatch(message);
            }
        }
    }

    /** The changelog topics of the stores in the sub-topologies that read {@code sourceTopic}. */
    static Set<String> changelogsFedBy(Topology topology, String applicationId, String sourceTopic) {
        Set<String> changelogs = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            boolean fedBySource = subtopology.nodes().stream().anyMatch(node -> node instanceof TopologyDescription.Source
                    && ((TopologyDescription.Source) node).topicSet().contains(sourceTopic));
            if (fedBySource) {
                subtopology.nodes().stream()
                        .filter(TopologyDescription.Processor.class::isInstance)
                        .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                        .forEach(store -> changelogs.add(applicationId + "-" + store + "-changelog"));
            }
        }
        return changelogs;
    }

    private static Map<String, Integer> partitionCounts(Admin admin, Set<String> changelogs, String sourceTopic) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<String> wanted = new ArrayList<>(changelogs);
            wanted.add(sourceTopic);
            wanted.retainAll(existing);
            Map<String, Integer> counts = new TreeMap<>();
            for (TopicDescription description : admin.describeTopics(wanted).allTopicNames().get().values()) {
                counts.put(description.name(), description.partitions().size());
            }
            return counts;
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read the partition counts of " + sourceTopic + " and its state", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading partition counts", e);
        }
    }
}
