package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.IpnProvenance;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry feeding the real stream processor: a mapping row decides where a payment's payout goes. */
class ProcessorEndToEndIT {

    private static final long USER = 6271402111L;

    private static RegistryFixture fixture;
    private static RegistryService registry;
    private static ProcessorService processor;
    private static TestTopic<String, byte[]> raw;
    private static TestTopic<String, EnrichedPayment> enriched;

    @BeforeAll
    static void start() throws Exception {
        fixture = new RegistryFixture("registry-e2e");
        registry = fixture.start(Duration.ofHours(1));
        fixture.watch(registry).close();
        Map<String, String> env = new HashMap<>(fixture.topicNames().asEnv());
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, fixture.bootstrapServers());
        String applicationId = TestNames.unique("registry-e2e-processor");
        env.put(ProcessorConfig.APPLICATION_ID, applicationId);
        Path stateDir = Path.of("target", "processor-state", applicationId).toAbsolutePath();
        env.put(ProcessorConfig.STATE_DIR, stateDir.toString());
        env.put(ProcessorConfig.COMMIT_INTERVAL_MS, "20");
        env.put(ProcessorConfig.OPS_PORT, "0");
        // RocksDB unpacks its native library into java.io.tmpdir
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        processor = ProcessorService.start(ProcessorConfig.fromEnv(Env.of(env)));
        raw = TestTopic.of(fixture.topicNames(), Topics.IPN_RAW);
        enriched = TestTopic.of(fixture.topicNames(), Topics.PAYMENTS_ENRICHED);
    }

    @AfterAll
    static void stop() {
        processor.close();
        registry.close();
        fixture.close();
    }

    @Test
    void aPaymentParkedForAnUnknownChannelIsReleasedAfterTheRowIsInserted() {
        long channelId = -1003000000601L;
        long paymentId = 9_000_601L;
        sendFinishedPayment(paymentId, channelId);
        await().atMost(30, TimeUnit.SECONDS).until(() -> latest(paymentId)
                .map(payment -> payment.statusWord() == StatusWord.AWAITING_MAPPING).orElse(false));

        fixture.insert(channel(channelId).wallet("TReleasedWallet").tier1("5.00", 30));

        await().atMost(10, TimeUnit.SECONDS).until(() -> latest(paymentId)
                .map(payment -> payment.statusWord() == StatusWord.CONFIRMED).orElse(false));
        EnrichedPayment released = latest(paymentId).orElseThrow();
        assertThat(released.clientWalletAddress()).isEqualTo("TReleasedWallet");
        assertThat(released.subscriptionDays()).isEqualTo(30);
    }

    @Test
    void aWalletChangeIsSeenByTheProcessorAndLaterPayoutsCarryTheNewWallet() {
        long channelId = -1003000000602L;
        fixture.insert(channel(channelId).wallet("TOldWallet").tier1("5.00", 30));
        sendFinishedPayment(9_000_602L, channelId);
        await().atMost(30, TimeUnit.SECONDS).until(() -> latest(9_000_602L)
                .map(payment -> payment.statusWord() == StatusWord.CONFIRMED).orElse(false));
        assertThat(latest(9_000_602L).orElseThrow().clientWalletAddress()).isEqualTo("TOldWallet");

        fixture.changeWallet(channelId, "TNewWallet");
        try (TopicWatcher topic = fixture.watch()) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> "TNewWallet".equals(
                    Optional.ofNullable(topic.poll().view().get(Long.toString(channelId)))
                            .map(mapping -> mapping.clientWalletAddress()).orElse(null)));
        }
        // the processor's global table reads the topic on a thread of its own: give it a moment
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        sendFinishedPayment(9_000_603L, channelId);

        await().atMost(30, TimeUnit.SECONDS).until(() -> latest(9_000_603L)
                .map(payment -> payment.statusWord() == StatusWord.CONFIRMED).orElse(false));
        assertThat(latest(9_000_603L).orElseThrow().clientWalletAddress()).isEqualTo("TNewWallet");
        assertThat(latest(9_000_602L).orElseThrow().clientWalletAddress()).as("earlier payouts unchanged")
                .isEqualTo("TOldWallet");
    }

    private static void sendFinishedPayment(long paymentId, long channelId) {
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(paymentId).order(USER, channelId)
                .priceAmount("5.00").toBytes();
        TestKafka.produceInTransaction(fixture.bootstrapServers(), raw, List.of(raw.record(
                Long.toString(paymentId), body, gatewayHeaders(Instant.now().toString()))));
    }

    private static Optional<EnrichedPayment> latest(long paymentId) {
        EnrichedPayment last = null;
        for (ConsumerRecord<String, EnrichedPayment> record : TestKafka.readAll(fixture.bootstrapServers(), enriched)) {
            if (Long.toString(paymentId).equals(record.key())) {
                last = record.value();
            }
        }
        return Optional.ofNullable(last);
    }

    /** The headers the gateway writes after verifying an IPN. */
    private static Map<String, String> gatewayHeaders(String receivedAt) {
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "current"));
        headers.put(HeaderNames.IPN_RECEIVED_AT, receivedAt);
        return headers;
    }
}
