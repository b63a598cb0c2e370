package io.ipnpipeline.reliability.fault;

import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under load and started again: the gateway keeps accepting IPNs (Kafka holds them), the sink
 * waits and retries, and afterwards the database matches the model with every command issued exactly once.
 */
class PostgresRestartIT {

    @Test
    void postgresRestartedUnderLoadLosesAndDuplicatesNothing() throws Exception {
        try (TestPostgres postgres = TestPostgres.embedded().start();
                InJvmPipeline pipeline = InJvmPipeline.builder("postgres-restart").postgres(postgres).start();
                FaultRun run = new FaultRun(pipeline)) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            run.send(new PaymentPlans(44, 5_400_000_000L, 50).mixed(260), 25);

            run.awaitAcknowledged(150);
            postgres.stop();
            int atStop = run.ledger.acknowledgedCount();
            // the intake does not depend on PostgreSQL: IPNs keep being acknowledged while it is down
            run.awaitAcknowledged(atStop + 150);
            postgres.start();

            run.assertNothingLostNothingTwice();
        }
    }
}
