package io.ipnpipeline.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.sink.db.TransactionLimits;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

    @Test
    void defaults() {
        SinkConfig config = SinkConfig.fromEnv(Env.of(Map.of()));

        assertThat(config.batchMaxRecords()).isEqualTo(10_000);
        assertThat(config.batchMaxWaitMs()).isEqualTo(50);
        assertThat(config.consumerGroup()).isEqualTo("ipn-sink-writer");
        assertThat(config.transactionalId()).isEqualTo("ipn-sink-outbox-publisher");
        assertThat(config.migrate()).isTrue();
        assertThat(config.publisherEnabled()).isTrue();
        assertThat(config.topics().name(Topics.PAYMENTS_ENRICHED)).isEqualTo("payments.enriched");
        assertThat(config.transactionLimits()).isEqualTo(TransactionLimits.DEFAULT);
    }

    @Test
    void readsEveryVariable() {
        SinkConfig config = SinkConfig.fromEnv(Env.of(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                Map.entry("PIPELINE_JDBC_URL", "jdbc:postgresql://db/x"),
                Map.entry("PIPELINE_DB_USER", "sink"),
                Map.entry("PIPELINE_DB_PASSWORD", "s3cret"),
                Map.entry("SINK_BATCH_MAX_RECORDS", "200"),
                Map.entry("SINK_BATCH_MAX_WAIT_MS", "10"),
                Map.entry("SINK_POOL_SIZE", "5"),
                Map.entry("SINK_CONSUMER_GROUP", "g"),
                Map.entry("SINK_TRANSACTIONAL_ID", "tx"),
                Map.entry("SINK_OPS_PORT", "0"),
                Map.entry("SINK_MIGRATE", "false"),
                Map.entry("SINK_DB_LOCK_TIMEOUT_MS", "2000"),
                Map.entry("SINK_DB_STATEMENT_TIMEOUT_MS", "30000"),
                Map.entry("PAYMENTS_ENRICHED_TOPIC", "p.e"))));

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(config.batchMaxRecords()).isEqualTo(200);
        assertThat(config.batchMaxWaitMs()).isEqualTo(10);
        assertThat(config.poolSize()).isEqualTo(5);
        assertThat(config.consumerGroup()).isEqualTo("g");
        assertThat(config.transactionalId()).isEqualTo("tx");
        assertThat(config.opsPort()).isZero();
        assertThat(config.migrate()).isFalse();
        assertThat(config.topics().name(Topics.PAYMENTS_ENRICHED)).isEqualTo("p.e");
        assertThat(config.transactionLimits()).isEqualTo(new TransactionLimits(Duration.ofSeconds(2),
                Duration.ofSeconds(30)));
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void failsFastNamingTheVariable() {
        assertThatThrownBy(() -> SinkConfig.fromEnv(Env.of(Map.of("SINK_BATCH_MAX_RECORDS", "lots"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SINK_BATCH_MAX_RECORDS");
        assertThatThrownBy(() -> SinkConfig.fromEnv(Env.of(Map.of("SINK_POOL_SIZE", "1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SINK_POOL_SIZE");
        // 0 would mean "no limit" to PostgreSQL: the very wait these bounds exist to end
        assertThatThrownBy(() -> SinkConfig.fromEnv(Env.of(Map.of("SINK_DB_LOCK_TIMEOUT_MS", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SINK_DB_LOCK_TIMEOUT_MS");
    }
}
