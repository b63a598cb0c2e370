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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Closing under load: requests in flight still get their answer, and every 200 is on ipn.raw. */
class GatewayShutdownIT {

    private static TestSchema schema;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("gateway-shutdown");
    }

    @AfterAll
    static void stop() {
        schema.close();
    }

    @Test
    void inFlightRequestsAreAnsweredAndAcceptedOnesAreStored() {
        TopicNames topics = TestNames.topics("gateway-shutdown");
        GatewayService gateway = Gateways.start(Gateways.env(TestInfra.bootstrapServers(), topics, schema.env()));
        GatewayClient client = new GatewayClient(gateway.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);

        Map<String, CompletableFuture<HttpResponse<String>>> responses = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            long paymentId = 8_500_000_000L + i;
            byte[] body = IpnBodyBuilder.incidentPayment().paymentId(paymentId).toBytes();
            responses.put(Long.toString(paymentId), client.postAsync("/ipn", body, GatewayClient.sign(body)));
        }
        // close while IPNs are waiting for their acks
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> gateway.meterRegistry().get("gateway.ipn.in.flight").gauge().value() > 0);
        gateway.close();

        Set<String> accepted = new HashSet<>();
        responses.forEach((paymentId, response) -> {
            // a request the server had not yet read may see its connection closed: the sender retries it
            HttpResponse<String> answered = response.exceptionally(connectionClosed -> null).join();
            if (answered != null) {
                assertThat(answered.statusCode()).isIn(200, 503);
                if (answered.statusCode() == 200) {
                    accepted.add(paymentId);
                }
            }
        });
        Set<String> stored = TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW))
                .stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(accepted).isNotEmpty();
        assertThat(stored).containsAll(accepted);
        assertThat(refusesConnections(gateway.port())).as("public port after close").isTrue();
        assertThat(refusesConnections(gateway.opsPort())).as("operations port after close").isTrue();
    }

    private static boolean refusesConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return false;
        } catch (IOException refused) {
            return true;
        }
    }
}
