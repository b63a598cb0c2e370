package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.sink.fixtures.PaymentBuilder;
import io.ipnpipeline.sink.fixtures.Tables;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A database wait that does not end by itself: the Telegram bot holds a subscription row lock (idle in
 * transaction). The sink must not sit behind it while reporting ready with a lag of zero: its lock wait ends
 * (lock_timeout), it reports unready, counts the failure, shows the records it has not applied as lag, dead-letters
 * nothing (a lock is not the record's fault), and applies everything once the lock is gone.
 */
class StalledDatabaseIT {

    @Test
    void aRowLockHeldElsewhereMakesTheSinkUnreadyAndLaggingNotSilentlyStuck() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-stalled"); SinkService sink = fixture.start()) {
            DataSource db = fixture.schema.dataSource();
            Tables.botPendingRow(db, PaymentBuilder.USER, PaymentBuilder.PRIVATE_CHANNEL);
            fixture.produce(List.of(payment(1).user(1).build()));
            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L));
            await().atMost(Duration.ofSeconds(10)).until(sink::isReady);

            try (Connection bot = db.getConnection()) {
                bot.setAutoCommit(false);
                try (Statement statement = bot.createStatement()) {
                    statement.execute("UPDATE private_channel_users_database SET sub_time = sub_time WHERE user_id = "
                            + PaymentBuilder.USER);
                }
                // the bot's transaction stays open, holding the row lock payment 2's subscription update needs
                fixture.produce(List.of(payment(2).build()));
                fixture.produce(LongStream.rangeClosed(3, 20).mapToObj(id -> payment(id).user(id).build()).toList());

                await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isReady());
                assertThat(dbFailures(sink)).isPositive();
                await().atMost(Duration.ofSeconds(15)).until(() -> lag(sink) > 0);
                for (int i = 0; i < 15; i++) { // retried with backoff, still behind the lock: unready throughout
                    SinkFixture.sleep(Duration.ofMillis(200));
                    assertThat(sink.isReady()).isFalse();
                }
                assertThat(Tables.count(db, "SELECT count(*) FROM payments")).isEqualTo(1);
                bot.rollback();
            }

            fixture.assertExactlyOneInviteAndPayoutFor(LongStream.rangeClosed(1, 20).boxed().toList());
            await().atMost(Duration.ofSeconds(30)).until(sink::isReady);
            await().atMost(Duration.ofSeconds(15)).until(() -> lag(sink) == 0);
            assertThat(fixture.deadLetters()).isEmpty();
        }
    }

    private static double dbFailures(SinkService sink) {
        return sink.metrics().registry().get("sink_db_failures").counter().count();
    }

    private static double lag(SinkService sink) {
        return sink.metrics().registry().get("sink_consumer_lag").gauge().value();
    }
}
