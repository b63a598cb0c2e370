package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.registry.RegistryService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two publishers at once: one leads, the topic stays exactly right, and the standby takes over. */
class LeadershipIT {

    private RegistryFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture("registry-leadership");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void twoPublishersKeepTheTopicCorrectAndKillingTheLeaderHandsOver() {
        try (RegistryService first = fixture.start(Duration.ofSeconds(2));
                RegistryService second = fixture.start(Duration.ofSeconds(2))) {
            RegistryService leader = awaitOneLeader(first, second);
            RegistryService standby = leader == first ? second : first;
            try (TopicWatcher topic = fixture.watch(leader)) {
                for (long id = -1001000000301L; id >= -1001000000305L; id--) {
                    fixture.insert(channel(id));
                }
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
                fixture.changeWallet(-1001000000301L, "TSecondWallet");
                fixture.delete(-1001000000302L);
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
                // several interval resyncs pass with both running: neither writes anything twice
                awaitResyncs(leader, 2);
                assertOneRecordPerChange(topic);

                int killed = leader.backendPid();
                fixture.terminateBackend(killed);

                await().atMost(15, TimeUnit.SECONDS).until(standby::isLeader);
                await().atMost(15, TimeUnit.SECONDS).until(() -> leader.backendPid() != 0
                        && leader.backendPid() != killed);
                assertThat(leader.isLeader()).as("the old leader lost its lock and stands by").isFalse();

                fixture.insert(channel(-1001000000306L));
                fixture.changeWallet(-1001000000303L, "TAfterFailover");
                fixture.delete(-1001000000304L);
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
                assertThat(topic.history(-1001000000303L)).hasSize(2);
                assertThat(topic.history(-1001000000304L)).hasSize(2).last().isNull();
                assertThat(topic.history(-1001000000305L)).as("the new leader's snapshot rewrote nothing")
                        .hasSize(1);
            }
        }
    }

    @Test
    void stoppingTheLeaderHandsOverToTheStandby() {
        RegistryService first = fixture.start(Duration.ofHours(1));
        try (TopicWatcher topic = fixture.watch(first);
                RegistryService second = fixture.start(Duration.ofHours(1))) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> second.backendPid() != 0);
            assertThat(second.isLeader()).isFalse();

            first.close();
            await().atMost(10, TimeUnit.SECONDS).until(second::isLeader);

            fixture.insert(channel(-1001000000311L));
            await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
            assertThat(topic.view()).containsOnlyKeys("-1001000000311");
        }
    }

    private static RegistryService awaitOneLeader(RegistryService first, RegistryService second) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> first.isLeader() || second.isLeader());
        // give the standby a few retries to (wrongly) become leader too
        await().during(Duration.ofMillis(1_500)).atMost(5, TimeUnit.SECONDS)
                .until(() -> first.isLeader() != second.isLeader());
        return first.isLeader() ? first : second;
    }

    private static void awaitResyncs(RegistryService leader, int more) {
        double target = leader.metrics().resyncs() + more;
        await().atMost(30, TimeUnit.SECONDS).until(() -> leader.metrics().resyncs() >= target);
    }

    private static void assertOneRecordPerChange(TopicWatcher topic) {
        topic.poll().poll();
        assertThat(topic.history(-1001000000301L)).hasSize(2);
        assertThat(topic.history(-1001000000302L)).hasSize(2).last().isNull();
        for (long id : List.of(-1001000000303L, -1001000000304L, -1001000000305L)) {
            assertThat(topic.history(id)).as("records of %s", id).hasSize(1);
        }
    }
}
