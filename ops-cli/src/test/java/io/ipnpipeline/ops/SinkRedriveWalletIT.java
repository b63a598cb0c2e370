package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by review: {@code dlq --sink redrive} resent a days-old enriched payment whose payout wallet the channel's
 * owner may have replaced since (a compromised wallet). Such a letter is refused unless forced, naming the payment
 * and both wallets by their last six characters only.
 */
class SinkRedriveWalletIT {

    private static final long CHANNEL = -1_003_253_338_444L;
    private static final long GONE_CHANNEL = -1_003_253_338_445L;
    private static final String OLD_WALLET = "TOLDcompromisedWallet00000def456";
    private static final String NEW_WALLET = "TNEWreplacementWallet0000abc123";

    private static TestSchema schema;
    private Map<String, String> env;
    private TestTopic<String, byte[]> sinkDlq;
    private TestTopic<String, byte[]> enriched;

    @BeforeAll
    static void schema() {
        schema = TestSchema.create("ops-redrive-wallet");
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO main_clients_database"
                        + " (open_channel_id, closed_channel_id, client_wallet_address, client_payout_currency,"
                        + " client_payout_network, sub_1_price, sub_1_time) VALUES (?, ?, ?, 'usdt', 'trx', 2.50, 30)")) {
            insert.setLong(1, CHANNEL);
            insert.setLong(2, CHANNEL - 1);
            insert.setString(3, NEW_WALLET);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void topics() {
        TopicNames topics = TestKafka.createTopics(TestInfra.bootstrapServers(), "ops-redrive-wallet");
        env = Cli.env(topics, schema);
        sinkDlq = TestTopic.of(topics, Topics.SINK_DLQ);
        enriched = new TestTopic<>(TestTopic.of(topics, Topics.PAYMENTS_ENRICHED).name(), Serdes.String(),
                Serdes.ByteArray());
    }

    @Test
    void aLetterPayingAReplacedWalletIsRefusedAndNothingIsSent() {
        produce(List.of(letter("5077125071", CHANNEL, NEW_WALLET), letter("5077125072", CHANNEL, OLD_WALLET)));

        Cli.Result result = Cli.run(env, "dlq", "--sink", "redrive", "all");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("1 letter(s) would pay out to a wallet that is no longer the channel's")
                .contains("dead letter 2 (payment 5077125072) pays out to wallet ...def456, but the channel's wallet"
                        + " is now ...abc123")
                .contains("nothing sent").contains("--force-old-wallet")
                .doesNotContain("5077125071");
        assertThat(result.toString()).doesNotContain(OLD_WALLET).doesNotContain(NEW_WALLET);
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), enriched)).isEmpty();
    }

    @Test
    void aLetterOfAChannelNoLongerRegisteredIsRefusedToo() {
        produce(List.of(letter("5077125073", GONE_CHANNEL, OLD_WALLET)));
        Cli.Result result = Cli.run(env, "dlq", "--sink", "redrive", "1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("payment 5077125073").contains("...def456")
                .contains("(none: the channel is no longer in main_clients_database)");
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), enriched)).isEmpty();
    }

    @Test
    void forcedItIsSentWithAWarningAndTheCurrentWalletNeedsNoFlag() {
        produce(List.of(letter("5077125074", CHANNEL, OLD_WALLET), letter("5077125075", CHANNEL, NEW_WALLET)));

        Cli.Result same = Cli.run(env, "dlq", "--sink", "redrive", "2");
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(same.out()).doesNotContain("warning");

        Cli.Result forced = Cli.run(env, "dlq", "--sink", "redrive", "1", "--force-old-wallet");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("warning: --force-old-wallet: sending anyway")
                .contains("payment 5077125074").contains("...def456").doesNotContain(OLD_WALLET);
        assertThat(TestKafka.readAll(TestInfra.bootstrapServers(), enriched)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("5077125075", "5077125074");
    }

    private void produce(List<ProducerRecord<String, byte[]>> letters) {
        TestKafka.produceInTransaction(TestInfra.bootstrapServers(), sinkDlq, letters);
    }

    /** A dead letter as the sink writes it: a placed enriched payment and the dead-letter headers. */
    private ProducerRecord<String, byte[]> letter(String key, long channel, String wallet) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY);
        headers.put(HeaderNames.DLQ_REASON, "connection refused");
        headers.put(HeaderNames.DLQ_SOURCE_TOPIC, enriched.name());
        String body = "{\"payment_id\":" + key + ",\"status\":\"finished\",\"status_word\":\"confirmed\","
                + "\"open_channel_id\":" + channel + ",\"client_wallet_address\":\"" + wallet + "\"}";
        return sinkDlq.record(key, body.getBytes(StandardCharsets.UTF_8), headers);
    }
}
