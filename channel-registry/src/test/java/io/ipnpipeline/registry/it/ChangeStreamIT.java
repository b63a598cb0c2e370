package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.testsupport.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running publisher: every insert, update and delete reaches the topic, in order, within about a second. */
class ChangeStreamIT {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamIT.class);
    /** "About a second", with room for a busy two-core machine. */
    private static final Duration WITHIN = Duration.ofMillis(2_000);

    private static final Pattern REGISTRY_METRIC = Pattern.compile("\\bregistry_[a-z_]+");
    private static final Pattern SAMPLE_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static RegistryFixture fixture;
    private static RegistryService service;

    @BeforeAll
    static void start() {
        fixture = new RegistryFixture("registry-changes");
        // a long interval: everything seen here arrives by notification, not by the periodic resync
        service = fixture.start(Duration.ofHours(1));
        await().atMost(30, TimeUnit.SECONDS).until(service::isLeader);
        await().atMost(30, TimeUnit.SECONDS).until(() -> service.metrics().resyncs() >= 1);
    }

    @AfterAll
    static void stop() {
        service.close();
        fixture.close();
    }

    @Test
    void insertUpdateAndDeleteReachTheTopicInOrderAndADeleteIsATombstone() {
        long id = -1001000000101L;
        try (TopicWatcher topic = fixture.watch()) {
            fixture.insert(channel(id).wallet("TWalletFirst"));
            awaitWithin(topic, id, 1);
            ChannelMapping inserted = fixture.row(id);

            fixture.changeWallet(id, "TWalletSecond");
            awaitWithin(topic, id, 2);
            ChannelMapping updated = fixture.row(id);

            fixture.delete(id);
            awaitWithin(topic, id, 3);

            assertThat(topic.history(id)).containsExactly(inserted, updated, null);
            assertThat(inserted.clientWalletAddress()).isEqualTo("TWalletFirst");
            assertThat(updated.clientWalletAddress()).isEqualTo("TWalletSecond");
            assertThat(updated.updatedAt()).isAfter(inserted.updatedAt());
            assertThat(topic.view()).doesNotContainKey(Long.toString(id));
        }
    }

    @Test
    void aWalletChangeProducesANewValueWithTheNewWalletAndEverythingElseKept() {
        long id = -1001000000102L;
        try (TopicWatcher topic = fixture.watch()) {
            fixture.insert(channel(id).wallet("TOldWallet").tier1("9.99", 30));
            awaitWithin(topic, id, 1);

            fixture.changeWallet(id, "TNewWallet");
            awaitWithin(topic, id, 2);

            ChannelMapping before = topic.history(id).get(0);
            ChannelMapping after = topic.history(id).get(1);
            assertThat(after.clientWalletAddress()).isEqualTo("TNewWallet");
            assertThat(after).usingRecursiveComparison().ignoringFields("clientWalletAddress", "updatedAt")
                    .isEqualTo(before);
            assertThat(after).isEqualTo(fixture.row(id));
        }
    }

    @Test
    void anUpdateThatChangesNothingPublishesNothing() {
        long id = -1001000000103L;
        try (TopicWatcher topic = fixture.watch()) {
            fixture.insert(channel(id).wallet("TSameWallet"));
            awaitWithin(topic, id, 1);

            fixture.changeWallet(id, "TSameWallet");
            fixture.changeWallet(id, "TChangedAfterwards");
            awaitWithin(topic, id, 2);

            assertThat(topic.history(id)).extracting(ChannelMapping::clientWalletAddress)
                    .containsExactly("TSameWallet", "TChangedAfterwards");
        }
    }

    @Test
    void theTopicIsCreatedCompactedWithTheSpecifiedPartitions() throws Exception {
        try (Admin admin = TestKafka.admin(fixture.bootstrapServers())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, fixture.topic());
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            TopicDescription description = admin.describeTopics(List.of(fixture.topic())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(fixture.topic());

            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(description.partitions()).hasSize(3);
        }
    }

    @Test
    void opsPortReportsReadyAndTheLeaderMetrics() throws Exception {
        long id = -1001000000104L;
        try (TopicWatcher topic = fixture.watch()) {
            fixture.insert(channel(id));
            awaitWithin(topic, id, 1);
        }
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> ready = http.send(get("/health/ready"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(get("/metrics"), HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("registry_is_leader 1.0")
                .contains("registry_rows_published_total")
                .contains("registry_tombstones_published_total")
                .contains("registry_resyncs_total")
                .contains("registry_notification_lag_seconds")
                .contains("registry_unusable_rows 0.0");
        assertThat(sampleNames(metrics.body())).as("exported").containsAll(registryMetricsInTheAlerts());
    }

    /** ops-cli's PipelineMonitoringIT checks the other services' metrics in the alerts; the registry's are ours. */
    private static Set<String> registryMetricsInTheAlerts() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("..", "deploy", "prometheus", "alerts.yml"))) {
            if (line.strip().startsWith("expr:")) {
                Matcher matcher = REGISTRY_METRIC.matcher(line);
                while (matcher.find()) {
                    names.add(matcher.group());
                }
            }
        }
        assertThat(names).as("registry metrics the alerts read").contains("registry_unusable_rows",
                "registry_is_leader", "registry_session_failures_total");
        return names;
    }

    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher matcher = SAMPLE_NAME.matcher(line);
            if (matcher.lookingAt()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.opsPort() + path)).build();
    }

    /** Waits for the key's n-th record and asserts it arrived within {@link #WITHIN} of the commit. */
    private static void awaitWithin(TopicWatcher topic, long id, int records) {
        long committed = System.nanoTime();
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(1))
                .until(() -> topic.poll().history(id).size() >= records);
        Duration latency = Duration.ofNanos(System.nanoTime() - committed);
        LOG.info("record {} of {} seen {} ms after commit", records, id, latency.toMillis());
        assertThat(latency).as("commit to topic").isLessThan(WITHIN);
    }
}
