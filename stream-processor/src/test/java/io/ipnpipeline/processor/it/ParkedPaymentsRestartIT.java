package io.ipnpipeline.processor.it;

import static io.ipnpipeline.processor.testdata.IpnBuilder.anIpn;
import static io.ipnpipeline.processor.testdata.MappingBuilder.aMapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.processor.testdata.IpnBuilder;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** Parked payments live in a changelogged store: they survive a restart, even with the local state lost. */
class ParkedPaymentsRestartIT {

    private static final int PARKED = 20;

    @Test
    void parkedPaymentsSurviveARestartAndAreReleasedAfterIt() throws Exception {
        ProcessorFixture fixture = new ProcessorFixture(TestInfra.bootstrapServers(), "processor-parked");
        List<IpnBuilder> ipns = LongStream.rangeClosed(1, PARKED).mapToObj(id -> anIpn().paymentId(id)).toList();

        try (ProcessorService service = ProcessorService.start(fixture.config())) {
            fixture.sendIpns(ipns);
            List<ConsumerRecord<String, EnrichedPayment>> awaiting =
                    TestKafka.consume(fixture.bootstrap, fixture.enriched(), PARKED, Duration.ofSeconds(90));
            assertThat(awaiting).extracting(record -> record.value().statusWord())
                    .containsOnly(StatusWord.AWAITING_MAPPING);
            assertOpsEndpoints(service);
        }
        // a new host: nothing local survives, only the changelog
        fixture.deleteState();

        try (ProcessorService restarted = ProcessorService.start(fixture.config())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> restarted.state() == KafkaStreams.State.RUNNING);
            assertCountersStartAtZero(restarted);
            fixture.sendMapping(aMapping());
            List<ConsumerRecord<String, EnrichedPayment>> all =
                    TestKafka.consume(fixture.bootstrap, fixture.enriched(), 2 * PARKED, Duration.ofSeconds(60));
            List<EnrichedPayment> released = all.stream().map(ConsumerRecord::value)
                    .filter(payment -> payment.statusWord() == StatusWord.CONFIRMED).toList();
            assertThat(released).extracting(EnrichedPayment::paymentId)
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, PARKED).boxed().toList());
            assertThat(released).allSatisfy(payment -> assertThat(payment.isPlaced()).isTrue());
            fixture.awaitCaughtUp(Duration.ofSeconds(30));
        }
        assertThat(TestKafka.readAll(fixture.bootstrap, fixture.enriched())).hasSize(2 * PARKED);
    }

    private static void assertOpsEndpoints(ProcessorService service) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + service.opsPort();
        await().atMost(Duration.ofSeconds(30)).until(() -> get(http, base + "/health/ready").statusCode() == 200);
        assertThat(get(http, base + "/health/live").statusCode()).isEqualTo(200);
        String metrics = get(http, base + "/metrics").body();
        assertThat(metrics).contains("ipn_processor_parked_total " + (double) PARKED)
                .contains("kafka_stream_");
    }

    /**
     * After a restart, before anything happened, every counter an alert uses is already a series at 0: the first
     * dead letter, park or release then shows in Prometheus's increase() instead of starting its series at 1.
     */
    private static void assertCountersStartAtZero(ProcessorService service) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String metrics = get(http, "http://127.0.0.1:" + service.opsPort() + "/metrics").body();
        assertThat(metrics).contains("ipn_processor_released_total 0.0", "ipn_processor_parked_total 0.0",
                "ipn_processor_needs_review_total 0.0", "ipn_processor_dedupe_expired_total 0.0",
                "ipn_processor_dlq_total{stage=\"parse\"} 0.0",
                "ipn_processor_dlq_total{stage=\"deserialization\"} 0.0",
                "ipn_processor_dlq_total{stage=\"processing\"} 0.0",
                "ipn_processor_dlq_total{stage=\"production\"} 0.0",
                "ipn_processor_dlq_total{stage=\"serialization\"} 0.0",
                "ipn_processor_dedupe_dropped_total{kind=\"repeat\"} 0.0",
                "ipn_processor_emitted_total{status_word=\"confirmed\"} 0.0");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
