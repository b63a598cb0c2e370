package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records marked {@code ipn.source=reconciliation} skip nothing downstream, but only the reconciliation job may
 * write them: whatever a caller sends (HTTP headers named like Kafka headers, the marker in the body), what the
 * gateway publishes says {@code gateway}, once.
 */
class GatewaySourceHeaderIT {

    private static TestSchema schema;
    private static GatewayService gateway;
    private static TestTopic<String, byte[]> ipnRaw;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("gateway-source");
        TopicNames topics = TestNames.topics("gateway-source");
        gateway = Gateways.start(Gateways.env(TestInfra.bootstrapServers(), topics, schema.env()));
        ipnRaw = TestTopic.of(topics, Topics.IPN_RAW);
        GatewayClient client = new GatewayClient(gateway.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        schema.close();
    }

    @Test
    void aCallerCannotMarkAnIpnAsComingFromReconciliation() throws Exception {
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(8_800_000_001L)
                .with("ipn.source", HeaderNames.SOURCE_RECONCILIATION).toBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/ipn"))
                .header("Content-Type", "application/json")
                .header("x-nowpayments-sig", GatewayClient.sign(body))
                .header(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_RECONCILIATION)
                .header("X-Ipn-Source", HeaderNames.SOURCE_RECONCILIATION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        List<ConsumerRecord<String, byte[]>> records = TestKafka.consume(TestInfra.bootstrapServers(), ipnRaw, 1,
                Duration.ofSeconds(30));
        List<String> sources = new ArrayList<>();
        for (Header header : records.get(0).headers().headers(HeaderNames.IPN_SOURCE)) {
            sources.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(sources).containsExactly(HeaderNames.SOURCE_GATEWAY);
    }
}
