package io.ipnpipeline.processor.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.topology.PaymentTopology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartitionCountCheckTest {

    @Test
    void comparesIpnRawWithTheChangelogsOfTheStoresItFeedsButNotTheGlobalTable() {
        TopicNames topics = TopicNames.defaults();

        assertThat(PartitionCountCheck.changelogsFedBy(
                PaymentTopology.build(topics, Duration.ofDays(35), ProcessorMetrics.detached()), "app",
                topics.name(Topics.IPN_RAW)))
                .containsExactlyInAnyOrder("app-" + PaymentTopology.DEDUPE_STORE + "-changelog",
                        "app-" + PaymentTopology.PARKING_STORE + "-changelog");
    }
}
