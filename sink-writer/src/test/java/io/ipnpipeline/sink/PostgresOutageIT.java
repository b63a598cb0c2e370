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
import org.junit.jupiter.api.Test;

/** PostgreSQL stopped and restarted mid-run: the sink pauses, reports unready, and loses nothing. */
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

    private static List<EnrichedPayment> finished(long from, long to) {
        List<EnrichedPayment> records = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            records.add(payment(id).status(PaymentStatus.WAITING).user(700 + id).build());
            records.add(payment(id).user(700 + id).build());
        }
        return records;
    }
}
