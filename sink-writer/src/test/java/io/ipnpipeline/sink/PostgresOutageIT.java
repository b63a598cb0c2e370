package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and restarted mid-run: the sink pauses, reports unready, and loses nothing; and a batch
 * that fails is retried in place, before anything after it.
 */
class PostgresOutageIT {

    @Test
    void anOutageLosesNothingAndDuplicatesNothing() {
        try (TestPostgres postgres = TestPostgres.embedded().start();
                SinkFixture fixture = new SinkFixture("sink-outage", postgres);
                SinkService sink = fixture.start()) {
            fixture.produce(finished(1, 10));
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.invites().size() >= 10);
            await().atMost(Duration.ofSeconds(10)).until(sink::isReady);

            postgres.stop();
            fixture.produce(finished(11, 30));
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isReady());
            SinkFixture.sleep(Duration.ofSeconds(3));
            assertThat(sink.metrics().registry().get("sink_db_failures").counter().count()).isPositive();
            postgres.start();

            fixture.assertExactlyOneInviteAndPayoutFor(LongStream.rangeClosed(1, 30).boxed().toList());
            await().atMost(Duration.ofSeconds(30)).until(sink::isReady);
            assertThat(Tables.count(fixture.schema.dataSource(),
                    "SELECT count(*) FROM payments WHERE status = 'finished'")).isEqualTo(30);
        }
    }

    /**
     * A batch that fails for a transient reason is applied before any later record reaches the database. A
     * payment finished in the failing batch and refunded in a later one must still get its invite and payout:
     * applied the other way round, the refund would land first, the ledger would reject the older finished
     * status, and the paid customer would get nothing.
     */
    @Test
    void aBatchThatFailsIsAppliedBeforeLaterRecordsSoAFinishThenRefundStillIssuesItsCommands() {
        try (SinkFixture fixture = new SinkFixture("sink-order")) {
            DataSource db = fixture.schema.dataSource();
            Tables.execute(db, "CREATE TABLE finish_gate (closed boolean)");
            Tables.execute(db, "INSERT INTO finish_gate VALUES (true)");
            // a transient failure (serialization, 40001) of every statement writing a finished row while the gate is closed
            Tables.execute(db, """
                    CREATE FUNCTION fail_finish_while_gated() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.status = 'finished' AND EXISTS (SELECT 1 FROM finish_gate) THEN
                            RAISE EXCEPTION 'injected transient failure' USING ERRCODE = '40001';
                        END IF;
                        RETURN NEW;
                    END $$""");
            Tables.execute(db, "CREATE TRIGGER fail_finish_while_gated BEFORE INSERT OR UPDATE ON payments"
                    + " FOR EACH ROW EXECUTE FUNCTION fail_finish_while_gated()");
            try (SinkService sink = fixture.start()) {
                fixture.produce(List.of(payment(42).build()));
                await().atMost(Duration.ofSeconds(30)).until(() -> dbFailures(sink) >= 1);
                fixture.produce(List.of(payment(42).status(PaymentStatus.REFUNDED).build()));
                SinkFixture.sleep(Duration.ofSeconds(2)); // time for the refund to overtake, were that possible
                Tables.execute(db, "DELETE FROM finish_gate");

                fixture.assertExactlyOneInviteAndPayoutFor(List.of(42L));
                await().atMost(Duration.ofSeconds(30)).until(() -> Tables.count(db,
                        "SELECT count(*) FROM payments WHERE payment_id = 42 AND status = 'refunded'") == 1);
            }
        }
    }

    private static double dbFailures(SinkService sink) {
        return sink.metrics().registry().get("sink_db_failures").counter().count();
    }

    private static List<EnrichedPayment> finished(long from, long to) {
        List<EnrichedPayment> records = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            records.add(payment(id).status(PaymentStatus.WAITING).user(700 + id).build());
            records.add(payment(id).user(700 + id).build());
        }
        return records;
    }
}
