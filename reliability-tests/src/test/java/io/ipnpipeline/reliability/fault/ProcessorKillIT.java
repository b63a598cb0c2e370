package io.ipnpipeline.reliability.fault;

import static org.awaitility.Awaitility.await;

import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.localstack.e2e.InJvmPipeline.Part;
import io.ipnpipeline.processor.app.ProcessorMain;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Contracts 2 and 4 with the stream processor SIGKILLed mid-stream (twice), then restarted on the same state
 * dir: nothing acknowledged is lost, no payment is applied wrongly, no command is issued twice.
 */
class ProcessorKillIT {

    @Test
    void theProcessorKilledMidStreamAndRestartedLosesAndDuplicatesNothing() throws Exception {
        try (InJvmPipeline pipeline = InJvmPipeline.builder("processor-kill").without(Part.PROCESSOR).start();
                FaultRun run = new FaultRun(pipeline)) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            PaymentPlans plans = new PaymentPlans(22, 5_200_000_000L, 50);
            run.send(plans.mixed(60));

            for (int kill = 1; kill <= 2; kill++) {
                try (ChildJvm processor = ChildJvm.start(ProcessorMain.class, pipeline.env(), "processor")) {
                    int rowsAtStart = run.audit().payments().size();
                    run.send(plans.mixed(120), 20);
                    // mid-stream: the child has applied some of the backlog and IPNs keep arriving
                    await().atMost(Duration.ofSeconds(90))
                            .until(() -> run.audit().payments().size() > rowsAtStart + 10);
                    processor.kill();
                }
            }
            run.send(plans.mixed(60));
            pipeline.start(Part.PROCESSOR);

            run.assertNothingLostNothingTwice();
        }
    }

}
