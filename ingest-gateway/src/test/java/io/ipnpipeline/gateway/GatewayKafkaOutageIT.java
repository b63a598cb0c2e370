package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.testsupport.EmbeddedKafkaBroker;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes away under a running gateway (a broker of this test's own, so the shared one is untouched):
 * IPNs get 503 so NOWPayments retries, and once Kafka is back the retry is accepted; every IPN answered 200 is
 * on ipn.raw exactly once.
 */
class GatewayKafkaOutageIT {

    private static EmbeddedKafkaBroker broker;
    private static TestSchema schema;
    private static GatewayService gateway;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.create().start();
        schema = TestSchema.create("gateway-outage");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        schema.close();
        broker.close();
    }

    @Test
    void kafkaDownGives503AndTheRetryIsAcceptedOnceKafkaIsBack() {
        TopicNames topics = TestNames.topics("gateway-outage");
        Map<String, String> env = Gateways.env(broker.bootstrapServers(), topics, schema.env());
        env.put(GatewayConfig.PUBLISH_TIMEOUT_MS, "1000");
        gateway = Gateways.start(env);
        GatewayClient client = new GatewayClient(gateway.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);

        byte[] before = IpnBodyBuilder.incidentPayment().paymentId(7_000_000_001L).toBytes();
        byte[] during = IpnBodyBuilder.incidentPayment().paymentId(7_000_000_002L).toBytes();
        assertThat(client.ipn(before).statusCode()).isEqualTo(200);

        broker.stop();
        long started = System.nanoTime();
        HttpResponse<String> refused = client.ipn(during);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_900));
        GatewayClient.assertNoInternals(refused);
        assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);
        // the producer gives the unacknowledged record up soon after the 503 (delivery.timeout.ms), so it is
        // not appended as a surprise when Kafka returns; the retry below is what stores it
        await().atMost(Duration.ofSeconds(15)).until(() -> gateway.meterRegistry()
                .find("gateway.kafka.producer.errors").tag("kind", "TimeoutException").counter() != null);

        broker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> client.ipn(during).statusCode() == 200);

        List<ConsumerRecord<String, byte[]>> records = TestKafka.consume(broker.bootstrapServers(),
                TestTopic.of(topics, Topics.IPN_RAW), 2, Duration.ofSeconds(10));
        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("7000000001", "7000000002");
        assertThat(records).filteredOn(record -> record.key().equals("7000000002"))
                .singleElement().satisfies(record -> assertThat(record.value()).isEqualTo(during));
    }
}
