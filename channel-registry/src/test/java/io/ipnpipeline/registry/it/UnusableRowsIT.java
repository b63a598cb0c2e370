package io.ipnpipeline.registry.it;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.registry.RegistryService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rows the publisher cannot or must not publish stay with their row: every other channel is still published,
 * notifications keep flowing, and {@code registry_unusable_rows} counts them until they are fixed. Each test has
 * its own schema and publisher, started after the bad rows exist (the first resync is what used to fail).
 */
class UnusableRowsIT {

    /** Long: everything after the first resync arrives by notification. */
    private static final Duration NO_RESYNC = Duration.ofHours(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aNanPriceMakesOnlyItsOwnRowUnusableAndEveryOtherChangeIsStillPublished() throws Exception {
        long good = -1001000000201L;
        long nan = -1001000000202L;
        try (RegistryFixture fixture = new RegistryFixture("registry-unusable-nan")) {
            fixture.insert(channel(good));
            fixture.insert(channel(nan));
            // NUMERIC(12,2) takes NaN; a bot writing Python Decimals can store it
            fixture.update("UPDATE main_clients_database SET sub_2_price = 'NaN' WHERE open_channel_id = ?", nan);
            try (RegistryService service = fixture.start(NO_RESYNC); TopicWatcher topic = fixture.watch(service)) {
                await().atMost(20, TimeUnit.SECONDS).until(() -> topic.poll().view().containsKey(key(good)));
                assertThat(service.metrics().unusableRows()).isEqualTo(1);
                assertThat(scrape(service)).contains("registry_unusable_rows 1.0");

                fixture.changeWallet(good, "TWalletAfterTheNaN");
                await().atMost(10, TimeUnit.SECONDS).until(() -> "TWalletAfterTheNaN".equals(wallet(topic, good)));
                assertThat(topic.view()).doesNotContainKey(key(nan));

                fixture.update("UPDATE main_clients_database SET sub_2_price = 12.50 WHERE open_channel_id = ?", nan);
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().containsKey(key(nan)));
                assertThat(topic.view().get(key(nan))).isEqualTo(fixture.row(nan));
                assertThat(service.metrics().unusableRows()).isZero();
            }
        }
    }

    @Test
    void anAdoptedTableWithBigintDaysIsPublishedAndADayCountBeyondAnIntIsUnusable() {
        long adopted = -1001000000211L;
        long huge = -1001000000212L;
        long later = -1001000000213L;
        try (RegistryFixture fixture = new RegistryFixture("registry-unusable-int8")) {
            // what db-schema's BotSchemaAdoption keeps of a bot table with bigint day columns
            fixture.update("ALTER TABLE main_clients_database ALTER COLUMN sub_1_time TYPE BIGINT,"
                    + " ALTER COLUMN sub_2_time TYPE BIGINT, ALTER COLUMN sub_3_time TYPE BIGINT");
            fixture.insert(channel(adopted));
            fixture.insert(channel(huge));
            fixture.update("UPDATE main_clients_database SET sub_2_time = 3000000000 WHERE open_channel_id = ?", huge);
            try (RegistryService service = fixture.start(NO_RESYNC); TopicWatcher topic = fixture.watch(service)) {
                await().atMost(20, TimeUnit.SECONDS).until(() -> topic.poll().view().containsKey(key(adopted)));
                ChannelMapping published = topic.view().get(key(adopted));
                assertThat(published.sub1Time()).isEqualTo(30);
                assertThat(published.sub2Time()).isEqualTo(90);
                assertThat(published).isEqualTo(fixture.row(adopted));
                assertThat(service.metrics().unusableRows()).isEqualTo(1);

                fixture.insert(channel(later));
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().containsKey(key(later)));
                assertThat(topic.view()).doesNotContainKey(key(huge));
            }
        }
    }

    @Test
    void rowsThatCannotBePaidOutAreNotPublishedAndAWalletEmptiedLaterKeepsTheLastGoodOne() {
        long good = -1001000000221L;
        long[] bad = {-1001000000222L, -1001000000223L, -1001000000224L, -1001000000225L, -1001000000226L};
        try (RegistryFixture fixture = new RegistryFixture("registry-unusable-rules")) {
            fixture.insert(channel(good).wallet("TWalletGood"));
            fixture.insert(channel(bad[0]).wallet(""));
            fixture.insert(channel(bad[1]).wallet("   "));
            fixture.insert(channel(bad[2]).currency(""));
            fixture.insert(channel(bad[3]).payout(PayoutStrategy.THRESHOLD, null));
            fixture.insert(channel(bad[4]).tier1("0.00", 30));
            try (RegistryService service = fixture.start(NO_RESYNC); TopicWatcher topic = fixture.watch(service)) {
                await().atMost(20, TimeUnit.SECONDS).until(() -> topic.poll().view().containsKey(key(good)));
                assertThat(topic.view()).containsOnlyKeys(key(good));
                assertThat(service.metrics().unusableRows()).isEqualTo(bad.length);

                // a published channel whose wallet is emptied keeps paying the last good wallet, and is counted
                fixture.changeWallet(good, "");
                await().atMost(10, TimeUnit.SECONDS).until(() -> service.metrics().unusableRows() == bad.length + 1);
                fixture.changeWallet(bad[0], "TWalletFixed");
                await().atMost(10, TimeUnit.SECONDS).until(() -> topic.poll().view().containsKey(key(bad[0])));
                assertThat(topic.history(good)).extracting(ChannelMapping::clientWalletAddress)
                        .containsExactly("TWalletGood");
                assertThat(service.metrics().unusableRows()).isEqualTo(bad.length);
            }
        }
    }

    private static String key(long id) {
        return Long.toString(id);
    }

    private static String wallet(TopicWatcher topic, long id) {
        ChannelMapping value = topic.poll().view().get(key(id));
        return value == null ? null : value.clientWalletAddress();
    }

    private static String scrape(RegistryService service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.opsPort() + "/metrics"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
