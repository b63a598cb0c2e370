package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A burst of 1,000 IPNs at once: the 200s and the records on ipn.raw are the same set, each exactly once. */
class GatewayLoadIT {

    private static final int REQUESTS = 1_000;
    private static final long WARM_UP_PAYMENT_ID = 7_999_999_999L;

    private static TestSchema schema;
    private static TopicNames topics;
    private static GatewayService gateway;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("gateway-load");
        topics = TestNames.topics("gateway-load");
        gateway = Gateways.start(Gateways.env(TestInfra.bootstrapServers(), topics, schema.env()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        schema.close();
    }

    @Test
    void everyAcceptedIpnIsStoredAndEveryStoredIpnWasAccepted() {
        GatewayClient client = new GatewayClient(gateway.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);
        // one IPN first: the producer's first send fetches the topic's metadata, which on a busy 2-core machine
        // can push the first burst past the publish timeout (a legitimate 503, but not what this test measures)
        byte[] warmUp = IpnBodyBuilder.incidentPayment().paymentId(WARM_UP_PAYMENT_ID).toBytes();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                client.postAsync("/ipn", warmUp, GatewayClient.sign(warmUp)).join().statusCode() == 200);
        Map<String, CompletableFuture<HttpResponse<String>>> responses = new HashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            long paymentId = 8_000_000_000L + i;
            byte[] body = IpnBodyBuilder.incidentPayment().paymentId(paymentId).toBytes();
            responses.put(Long.toString(paymentId), client.postAsync("/ipn", body, GatewayClient.sign(body)));
        }
        CompletableFuture.allOf(responses.values().toArray(CompletableFuture[]::new)).join();

        Set<String> accepted = responses.entrySet().stream()
                .filter(entry -> entry.getValue().join().statusCode() == 200)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(responses.values()).allSatisfy(response ->
                assertThat(response.join().statusCode()).isIn(200, 503));
        // every 200 came after an acks=all ack, so everything is readable now
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll(TestInfra.bootstrapServers(),
                TestTopic.of(topics, Topics.IPN_RAW));
        List<String> keys = records.stream().map(ConsumerRecord::key)
                .filter(key -> !key.equals(Long.toString(WARM_UP_PAYMENT_ID))).toList();

        assertThat(keys).doesNotHaveDuplicates();
        assertThat(Set.copyOf(keys)).isEqualTo(accepted);
        // with the default in-flight limit a thousand at once is not overload: all are accepted
        assertThat(accepted).hasSize(REQUESTS);
    }
}
