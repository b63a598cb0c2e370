package io.ipnpipeline.reliability.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.localstack.e2e.InJvmPipeline.Part;
import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.sink.CrashPoint;
import io.ipnpipeline.sink.SinkWithCrashHook;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.sink.fixtures.CrashOnce;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contract 4 with the sink killed at every step of its commit sequence, one after another under live traffic
 * through the whole pipeline: after the DB commit, after the offset commit, inside the open command transaction,
 * right after it committed. Each crashed sink is replaced by the next; at the end every finished payment has
 * exactly one invite and one payout and PostgreSQL matches the model.
 */
class SinkCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCrashIT.class);



    @Test
    void theSinkKilledAtEachStepOfItsCommitSequenceIssuesEveryCommandExactlyOnce() throws Exception {
        try (InJvmPipeline pipeline = InJvmPipeline.builder("sink-crash").without(Part.SINK).start();
                FaultRun run = new FaultRun(pipeline)) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            run.send(new PaymentPlans(33, 5_300_000_000L, 50).mixed(320), 12);

            for (CrashPoint.Step step : CrashPoint.Step.values()) {
                CrashOnce crash = new CrashOnce(step);
                pipeline.startWith(Part.SINK, env -> SinkWithCrashHook.start(SinkConfig.fromEnv(env), crash));
                assertThat(crash.crashed().await(120, TimeUnit.SECONDS)).as("crash at %s happened", step).isTrue();
                LOG.info("sink crashed at {} after {} acknowledged IPNs", step, run.ledger.acknowledgedCount());
                // what is left of a dead process: nothing of the step it died in is completed gracefully
                pipeline.stop(Part.SINK);
            }
            pipeline.start(Part.SINK);

            run.assertNothingLostNothingTwice();
        }
    }
}
