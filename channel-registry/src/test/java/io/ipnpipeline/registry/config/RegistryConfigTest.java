package io.ipnpipeline.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void defaults() {
        RegistryConfig config = RegistryConfig.fromEnv(Env.of(Map.of("HOSTNAME", "registry-0")));

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.mappingsTopic()).isEqualTo("channel.mappings");
        assertThat(config.resyncInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.standbyRetry()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.opsPort()).isEqualTo(8094);
        assertThat(config.instanceName()).isEqualTo("registry-0");
    }

    @Test
    void readsEveryVariable() {
        RegistryConfig config = RegistryConfig.fromEnv(Env.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "PIPELINE_JDBC_URL", "jdbc:postgresql://db:5432/pipeline",
                "PIPELINE_DB_USER", "registry",
                "PIPELINE_DB_PASSWORD", "s3cret-value",
                "REGISTRY_RESYNC_INTERVAL_MS", "5000",
                "REGISTRY_STANDBY_RETRY_MS", "1000",
                "REGISTRY_OPS_PORT", "0",
                "REGISTRY_INSTANCE_NAME", "r1",
                "CHANNEL_MAPPINGS_TOPIC", "prod.channel.mappings")));

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/pipeline");
        assertThat(config.database().user()).isEqualTo("registry");
        assertThat(config.database().password().reveal()).isEqualTo("s3cret-value");
        assertThat(config.resyncInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.standbyRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.opsPort()).isZero();
        assertThat(config.instanceName()).isEqualTo("r1");
        assertThat(config.mappingsTopic()).isEqualTo("prod.channel.mappings");
    }

    @Test
    void theLoggedFormNeverShowsThePassword() {
        RegistryConfig config = RegistryConfig.fromEnv(Env.of(Map.of("PIPELINE_DB_PASSWORD", "s3cret-value")));

        assertThat(config.toString()).doesNotContain("s3cret-value").contains("****")
                .contains("CHANNEL_MAPPINGS_TOPIC=channel.mappings");
    }

    @Test
    void aBadIntervalNamesTheVariable() {
        assertThatThrownBy(() -> RegistryConfig.fromEnv(Env.of(Map.of("REGISTRY_RESYNC_INTERVAL_MS", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REGISTRY_RESYNC_INTERVAL_MS");
        assertThatThrownBy(() -> RegistryConfig.fromEnv(Env.of(Map.of("REGISTRY_RESYNC_INTERVAL_MS", "10"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REGISTRY_RESYNC_INTERVAL_MS");
        assertThatThrownBy(() -> RegistryConfig.fromEnv(Env.of(Map.of("REGISTRY_OPS_PORT", "70000"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REGISTRY_OPS_PORT");
    }
}
