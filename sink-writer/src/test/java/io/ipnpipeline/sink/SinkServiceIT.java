package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.PRIVATE_CHANNEL;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.USER;
import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.sink.fixtures.Tables;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole sink against the real broker and PostgreSQL: records in, rows and commands out. */
class SinkServiceIT {

    @Test
    void directLinkPaymentEndsConfirmedWithOneInviteAndOnePayout() throws Exception {
        try (SinkFixture fixture = new SinkFixture("sink-direct"); SinkService sink = fixture.start()) {
            fixture.produce(List.of(payment(4479119533L).status(PaymentStatus.CONFIRMING).build(),
                    payment(4479119533L).build()));

            fixture.assertExactlyOneInviteAndPayoutFor(List.of(4479119533L));
            List<Map<String, Object>> rows = Tables.rows(fixture.schema.dataSource(),
                    "SELECT payment_status FROM private_channel_users_database WHERE user_id = " + USER
                            + " AND private_channel_id = " + PRIVATE_CHANNEL);
            assertThat(rows).containsExactly(Map.of("payment_status", "confirmed"));
            var payout = fixture.payouts().get(0).value();
            assertThat(payout.outcomeAmount()).isEqualByComparingTo("0.00061819");
            assertThat(fixture.invites().get(0).value().expiresAt()).isNotNull();

            await().atMost(Duration.ofSeconds(10)).until(sink::isReady);
            String metrics = get(sink.opsPort(), "/metrics");
            assertThat(metrics).contains("sink_rows_applied_total{table=\"payments\"}")
                    .contains("sink_commands_issued_total{kind=\"invite\"} 1.0")
                    .contains("sink_batch_latency").contains("sink_consumer_lag");
            assertThat(get(sink.opsPort(), "/health/ready")).contains("\"ready\":true");
        }
    }

    @SuppressWarnings("try") // the service only has to run for the block; closing it is the point
    @Test
    void fiveDeliveriesOfTheSameFinishedRecordGiveOneRowOneInviteOnePayout() {
        try (SinkFixture fixture = new SinkFixture("sink-retry"); SinkService sink = fixture.start()) {
            for (int i = 0; i < 5; i++) {
                fixture.produce(List.of(payment(77).build()));
            }

            fixture.assertExactlyOneInviteAndPayoutFor(List.of(77L));
            assertThat(Tables.count(fixture.schema.dataSource(),
                    "SELECT count(*) FROM private_channel_users_database")).isEqualTo(1);
        }
    }

    @SuppressWarnings("try") // the service only has to run for the block; closing it is the point
    @Test
    void recordsTheDatabaseRejectsGoToTheDeadLetterTopicAndTheRestIsApplied() {
        try (SinkFixture fixture = new SinkFixture("sink-dlq"); SinkService sink = fixture.start()) {
            fixture.produce(List.of(payment(1).build(), payment(2).rawIpn("{not json").build(),
                    payment(3).build()));
            fixture.produceRaw("4", "definitely not an enriched payment");

            fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L, 3L));
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.deadLetters().size() >= 2);
            var letters = fixture.deadLetters();
            assertThat(letters).extracting(r -> r.key()).containsExactlyInAnyOrder("2", "4");
            assertThat(letters).allSatisfy(letter -> {
                assertThat(letter.headers().lastHeader(HeaderNames.DLQ_REASON)).isNotNull();
                assertThat(letter.headers().lastHeader(HeaderNames.DLQ_SOURCE_OFFSET)).isNotNull();
            });
            String reason = new String(letters.stream().filter(r -> r.key().equals("2")).findFirst().orElseThrow()
                    .headers().lastHeader(HeaderNames.DLQ_REASON).value(), StandardCharsets.UTF_8);
            assertThat(reason).contains("22P02");
            assertThat(Tables.count(fixture.schema.dataSource(), "SELECT count(*) FROM payments")).isEqualTo(2);
        }
    }

    @SuppressWarnings("try") // the service only has to run for the block; closing it is the point
    @Test
    void aFullReplayWithANewConsumerGroupEmitsNoCommandAndChangesNoRow() {
        try (SinkFixture fixture = new SinkFixture("sink-replay")) {
            List<EnrichedPayment> records = new ArrayList<>();
            List<Long> finished = new ArrayList<>();
            for (long id = 1; id <= 30; id++) {
                records.add(payment(id).status(PaymentStatus.WAITING).user(500 + id % 4).build());
                boolean finishes = id % 5 != 0;
                records.add(payment(id).status(finishes ? PaymentStatus.FINISHED : PaymentStatus.EXPIRED)
                        .user(500 + id % 4).build());
                if (finishes) {
                    finished.add(id);
                }
            }
            fixture.produce(records);
            try (SinkService sink = fixture.start()) {
                fixture.assertExactlyOneInviteAndPayoutFor(finished);
            }
            var before = Tables.snapshot(fixture.schema.dataSource());

            try (SinkService replay = SinkService.start(fixture.config.withConsumerGroup("replay-" + System.nanoTime()))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> replay.metrics().registry()
                        .get("sink_records_consumed").counter().count() >= records.size());
                SinkFixture.sleep(Duration.ofSeconds(1));
            }

            fixture.assertExactlyOneInviteAndPayoutFor(finished);
            assertThat(Tables.snapshot(fixture.schema.dataSource())).isEqualTo(before);
        }
    }

    /**
     * Found by review: a sink started under a changed SINK_TRANSACTIONAL_ID read no position under the new id and
     * started from 0, issuing every command still in the outbox again.
     */
    @SuppressWarnings("try") // the services only have to run for their blocks
    @Test
    void aPublisherUnderAChangedTransactionalIdRepublishesNothingAndTheOriginalIdCarriesOn() {
        try (SinkFixture fixture = new SinkFixture("sink-renamed-publisher")) {
            fixture.produce(List.of(payment(1).status(PaymentStatus.FINISHED).build()));
            try (SinkService sink = fixture.start()) {
                fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L));
            }

            fixture.produce(List.of(payment(2).status(PaymentStatus.FINISHED).build()));
            try (SinkService renamed = SinkService.start(fixture.config.withTransactionalId(
                    fixture.config.transactionalId() + "-renamed"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> renamed.metrics().registry()
                        .get("sink_records_consumed").counter().count() >= 1);
                SinkFixture.sleep(Duration.ofSeconds(2));
                assertThat(fixture.invites()).extracting(r -> r.value().paymentId()).containsExactly(1L);
                assertThat(fixture.payouts()).extracting(r -> r.value().paymentId()).containsExactly(1L);
                assertThat(renamed.isReady()).as("a publisher that refuses is not ready").isFalse();
            }

            try (SinkService sink = fixture.start()) {
                fixture.assertExactlyOneInviteAndPayoutFor(List.of(1L, 2L));
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
