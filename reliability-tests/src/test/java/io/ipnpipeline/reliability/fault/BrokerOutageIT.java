package io.ipnpipeline.reliability.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.testsupport.EmbeddedKafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Contract 1 and 2 with Kafka gone under load: while the broker is down the gateway answers 503 (so
 * NOWPayments retries) and never 200; after it is back every acknowledged IPN is in PostgreSQL, parked, in
 * review or dead-lettered, and every finished payment has exactly one invite and one payout.
 */
class BrokerOutageIT {

    @Test
    void theBrokerStoppedAndRestartedUnderLoadLosesAndDuplicatesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
                InJvmPipeline pipeline = InJvmPipeline.builder("broker-outage")
                        .bootstrapServers(broker.bootstrapServers())
                        .env("IPN_PUBLISH_TIMEOUT_MS", "1000")
                        .start();
                FaultRun run = new FaultRun(pipeline)) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            run.send(new PaymentPlans(11, 5_100_000_000L, 50).mixed(220));

            run.awaitAcknowledged(150);
            broker.stop();
            int acknowledgedWhileUp = run.ledger.acknowledgedCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> run.ledger.answers(503) >= 5);
            assertThat(run.ledger.acknowledgedCount()).as("no 200 while the broker is down")
                    .isLessThanOrEqualTo(acknowledgedWhileUp + 12);
            broker.start();

            run.assertNothingLostNothingTwice();
        }
    }
}
