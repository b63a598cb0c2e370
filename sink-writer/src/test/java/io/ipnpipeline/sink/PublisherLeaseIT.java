package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.sink.fixtures.Tables;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Two sink instances of one deployment (same consumer group, same transactional id), both with the publisher
 * enabled: one publishes, the other stands by, and it takes over when the first goes away. Commands stay
 * exactly once throughout.
 */
class PublisherLeaseIT {

    @Test
    void oneInstancePublishesTheOtherStandsByAndTakesOverWhenItLeaves() {
        try (SinkFixture fixture = new SinkFixture("lease-handover")) {
            SinkService first = fixture.start();
            try (SinkService second = startedAfter(first, fixture)) {
                fixture.produce(finished(1, 20));
                fixture.assertExactlyOneInviteAndPayoutFor(ids(1, 20));
                assertThat(first.publishesCommands()).as("first instance leads").isTrue();
                assertThat(second.publishesCommands()).as("second instance stands by").isFalse();
                assertThat(second.isReady()).as("a standby is ready").isTrue();
                assertThat(first.metrics().registry().scrape()).contains("sink_outbox_publisher_leader 1.0");
                assertThat(second.metrics().registry().scrape()).contains("sink_outbox_publisher_leader 0.0");

                first.close();
                await().atMost(Duration.ofSeconds(20)).until(second::publishesCommands);
                fixture.produce(finished(21, 30));
                fixture.assertExactlyOneInviteAndPayoutFor(ids(1, 30));
            } finally {
                first.close();
            }
        }
    }

    @Test
    void aLeaderWhoseSessionIsKilledLosesTheLeaseAndNoCommandIsDuplicated() {
        try (SinkFixture fixture = new SinkFixture("lease-killed")) {
            try (SinkService first = fixture.start(); SinkService second = startedAfter(first, fixture)) {
                fixture.produce(finished(1, 10));
                fixture.assertExactlyOneInviteAndPayoutFor(ids(1, 10));

                // what PostgreSQL does when the leader's host vanishes and its keepalives run out
                Tables.execute(fixture.schema.dataSource(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = 'sink-writer-publisher' AND datname = current_database()"
                        + " AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)");
                fixture.produce(finished(11, 25));
                fixture.assertExactlyOneInviteAndPayoutFor(ids(1, 25));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> first.publishesCommands() ^ second.publishesCommands());
            }
        }
    }

    private static SinkService startedAfter(SinkService leader, SinkFixture fixture) {
        await().atMost(Duration.ofSeconds(30)).until(leader::publishesCommands);
        SinkService standby = fixture.start();
        await().atMost(Duration.ofSeconds(30)).until(standby::isReady);
        return standby;
    }

    private static List<EnrichedPayment> finished(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(id -> payment(id).build()).toList();
    }

    private static List<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
