package io.ipnpipeline.reliability.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.localstack.e2e.InJvmPipeline.Part;
import io.ipnpipeline.reliability.audit.PipelineAudit;
import io.ipnpipeline.reliability.model.ExpectedState;
import io.ipnpipeline.reliability.traffic.Ledger;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.reliability.traffic.Traffic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contract 6: replays of ipn.raw with the processor's state wiped (local stores and changelogs) reproduce the same
 * PostgreSQL state, column for column, and issue no command again: from offset 0, and from a timestamp in the
 * middle of the traffic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayIT.class);
    private static final Duration SETTLE = Duration.ofMinutes(3);

    private static InJvmPipeline pipeline;
    private static OffsetReset reset;
    private static TableSnapshot baseline;
    private static int invites;
    private static int payouts;
    private static Instant middle;

    @BeforeAll
    static void runTrafficInTwoHalves() throws Exception {
        pipeline = InJvmPipeline.start("replay");
        reset = new OffsetReset(pipeline.bootstrapServers(), pipeline.topics(),
                pipeline.env().get("PROCESSOR_APPLICATION_ID"));
        PaymentPlans.registerChannels(pipeline.schema().dataSource());
        PaymentPlans plans = new PaymentPlans(77, 5_700_000_000L, 40);
        Ledger ledger = new Ledger();
        Instant startedAt = Instant.now();
        try (Traffic traffic = new Traffic(() -> List.of(pipeline.gatewayUrl()), InJvmPipeline.IPN_SECRET, ledger,
                6)) {
            traffic.send(plans.mixed(120)).get(3, TimeUnit.MINUTES);
            middle = Instant.now();
            traffic.send(plans.mixed(120)).get(3, TimeUnit.MINUTES);
        }
        PipelineAudit audit = new PipelineAudit(pipeline.schema().dataSource(), pipeline.bootstrapServers(),
                pipeline.topics(), startedAt);
        audit.awaitMatches(ExpectedState.from(ledger), SETTLE, pipeline::fatal);
        baseline = TableSnapshot.take(pipeline.schema().dataSource());
        invites = audit.inviteIds().size();
        payouts = audit.payoutIds().size();
        LOG.info("baseline: {}", audit.summary());
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void aFullReplayFromOffsetZeroWithStateWipedChangesNothing() throws Exception {
        replay(() -> reset.toEarliest());
    }

    @Test
    @Order(2)
    void aReplayFromATimestampInTheMiddleWithStateWipedChangesNothing() throws Exception {
        replay(() -> reset.toTimestamp(middle));
    }

    /** An offset move, done while the processor is stopped. */
    @FunctionalInterface
    interface Rewind {
        void run() throws Exception;
    }

    private static void replay(Rewind rewind) throws Exception {
        pipeline.stop(Part.PROCESSOR);
        reset.wipeState(Path.of(pipeline.env().get("PROCESSOR_STATE_DIR")));
        rewind.run();
        int enrichedBefore = enrichedCount();
        pipeline.start(Part.PROCESSOR);

        String sinkGroup = pipeline.env().get("SINK_CONSUMER_GROUP");
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> reset.processorCaughtUp()
                && enrichedCount() > enrichedBefore && reset.sinkCaughtUp(sinkGroup));
        LOG.info("replayed: payments.enriched grew from {} to {} records", enrichedBefore, enrichedCount());

        assertThat(pipeline.fatal()).isNull();
        TableSnapshot after = TableSnapshot.take(pipeline.schema().dataSource());
        for (String table : baseline.tables().keySet()) {
            assertThat(after.tables().get(table)).as("table %s after the replay", table)
                    .containsExactlyElementsOf(baseline.tables().get(table));
        }
        PipelineAudit audit = new PipelineAudit(pipeline.schema().dataSource(), pipeline.bootstrapServers(),
                pipeline.topics(), Instant.now());
        assertThat(audit.inviteIds()).as("no new invite").hasSize(invites).doesNotHaveDuplicates();
        assertThat(audit.payoutIds()).as("no new payout").hasSize(payouts).doesNotHaveDuplicates();
    }

    private static int enrichedCount() {
        return io.ipnpipeline.testsupport.TestKafka.readAll(pipeline.bootstrapServers(),
                io.ipnpipeline.testsupport.TestTopic.of(pipeline.topics(),
                        io.ipnpipeline.contracts.topic.Topics.PAYMENTS_ENRICHED)).size();
    }
}
