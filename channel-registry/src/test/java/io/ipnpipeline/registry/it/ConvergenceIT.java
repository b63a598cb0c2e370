package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.registry.RegistryService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the publisher missed (down, disconnected, or not notified) reaches the topic anyway. */
class ConvergenceIT {

    private RegistryFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture("registry-convergence");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @SuppressWarnings("try") // the service only has to run for the block; closing it is the point
    @Test
    void changesMadeWhileThePublisherIsDownConvergeAfterRestart() {
        long kept = -1001000000201L;
        long changed = -1001000000202L;
        long deleted = -1001000000203L;
        long added = -1001000000204L;
        startAndStop(kept, changed, deleted);
        try (TopicWatcher topic = fixture.watch()) {
            fixture.insert(channel(added));
            fixture.changeWallet(changed, "TChangedWhileDown");
            fixture.delete(deleted);

            try (RegistryService restarted = fixture.start(Duration.ofHours(1))) {
                await().atMost(30, TimeUnit.SECONDS)
                        .until(() -> topic.poll().view().equals(fixture.table()));
            }

            assertThat(topic.history(deleted)).hasSize(2).last().isNull();
            assertThat(topic.history(changed)).hasSize(2).last().isEqualTo(fixture.row(changed));
            assertThat(topic.history(added)).containsExactly(fixture.row(added));
            // the restart's snapshot is compared with the topic: an unchanged row is not written again
            assertThat(topic.history(kept)).hasSize(1);
        }
    }

    @Test
    void aRestartWithNothingChangedWritesNothing() {
        startAndStop(-1001000000211L, -1001000000212L);
        try (TopicWatcher topic = fixture.watch()) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().size() == 2);
            int before = topic.size();

            try (RegistryService restarted = fixture.start(Duration.ofHours(1))) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> restarted.metrics().resyncs() >= 1);
            }

            assertThat(topic.poll().poll().size()).isEqualTo(before);
            assertThat(topic.view()).isEqualTo(fixture.table());
        }
    }

    @Test
    void aChangeWithoutANotificationIsRepairedByThePeriodicResync() {
        try (RegistryService service = fixture.start(Duration.ofSeconds(2));
                TopicWatcher topic = fixture.watch(service)) {
            fixture.notifications(false);
            fixture.insert(channel(-1001000000221L));

            await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
            assertThat(topic.view()).containsKey("-1001000000221");
        }
    }

    @Test
    void afterLosingItsDatabaseSessionThePublisherReconnectsAndResyncs() {
        try (RegistryService service = fixture.start(Duration.ofHours(1));
                TopicWatcher topic = fixture.watch(service)) {
            fixture.notifications(false);
            int oldSession = service.backendPid();

            fixture.terminateBackend(oldSession);
            fixture.insert(channel(-1001000000231L));
            fixture.delete(-1001000000231L);
            fixture.insert(channel(-1001000000232L));

            // no notification and no interval resync within the test: only the reconnect's resync publishes
            await().atMost(15, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
            assertThat(service.backendPid()).isNotEqualTo(oldSession);
            assertThat(topic.view()).containsOnlyKeys("-1001000000232");
        }
    }

    /** Runs a publisher until {@code ids} are on the topic, then stops it. */
    private void startAndStop(long... ids) {
        try (RegistryService service = fixture.start(Duration.ofHours(1));
                TopicWatcher topic = fixture.watch(service)) {
            for (long id : ids) {
                fixture.insert(channel(id));
            }
            await().atMost(30, TimeUnit.SECONDS).until(() -> topic.poll().view().size() == ids.length);
        }
    }
}
