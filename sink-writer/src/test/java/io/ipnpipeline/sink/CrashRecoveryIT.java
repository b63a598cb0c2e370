package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.sink.fixtures.CrashOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Contract 4 under crashes: the sink dies at each step of its commit sequence (between the PostgreSQL commit
 * and the offset commit, after the offset commit, with the command transaction sent but not committed, and
 * right after the command transaction committed). After a restart every finished payment has exactly one
 * invite and one payout, as a read_committed consumer sees them.
 */
class CrashRecoveryIT {



    @SuppressWarnings("try") // the service only has to run for the block; closing it is the point
    @ParameterizedTest
    @EnumSource(CrashPoint.Step.class)
    void aCrashAtAnyStepNeitherLosesNorDuplicatesACommand(CrashPoint.Step step) throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-crash-" + step.name().toLowerCase(Locale.ROOT).replace('_', '-'))) {
            fixture.produce(finishedPayments(1, 10));
            CrashOnce crash = new CrashOnce(step);
            SinkService crashed = fixture.start(crash);
            assertThat(crash.crashed().await(60, TimeUnit.SECONDS)).as("crash at %s happened", step).isTrue();
            // what a dead process leaves: no graceful commit of the step it died in
            crashed.close();

            try (SinkService restarted = fixture.start()) {
                fixture.produce(finishedPayments(11, 15));
                fixture.assertExactlyOneInviteAndPayoutFor(LongStream.rangeClosed(1, 15).boxed().toList());
            }
        }
    }

    private static List<EnrichedPayment> finishedPayments(long from, long to) {
        List<EnrichedPayment> records = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            records.add(payment(id).status(PaymentStatus.CONFIRMING).user(900 + id).build());
            records.add(payment(id).user(900 + id).build());
        }
        return records;
    }
}
