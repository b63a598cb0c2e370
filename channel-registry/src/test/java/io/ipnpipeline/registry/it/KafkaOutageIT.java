package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.testsupport.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka going away makes the publisher unready, never dead; what changed meanwhile arrives when it is back. */
class KafkaOutageIT {

    private static EmbeddedKafkaBroker broker;
    private static RegistryFixture fixture;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.create().start();
        fixture = new RegistryFixture("registry-kafka-outage", broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        fixture.close();
        broker.close();
    }

    @Test
    void changesMadeWhileKafkaIsDownArriveAfterItReturns() throws Exception {
        try (RegistryService service = fixture.start(Duration.ofHours(1))) {
            try (TopicWatcher topic = fixture.watch(service)) {
                fixture.insert(channel(-1001000000501L));
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
            }
            assertThat(ready(service)).isEqualTo(200);

            broker.stop();
            fixture.insert(channel(-1001000000502L));
            fixture.delete(-1001000000501L);
            await().atMost(20, TimeUnit.SECONDS).until(() -> ready(service) == 503);

            broker.start();
            await().atMost(90, TimeUnit.SECONDS).until(() -> ready(service) == 200);
            try (TopicWatcher topic = fixture.watch()) {
                await().atMost(90, TimeUnit.SECONDS).until(() -> topic.poll().view().equals(fixture.table()));
                assertThat(topic.view()).containsOnlyKeys("-1001000000502");
            }
        }
    }

    private static int ready(RegistryService service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.opsPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
