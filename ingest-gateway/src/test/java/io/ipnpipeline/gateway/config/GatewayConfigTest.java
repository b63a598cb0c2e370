package io.ipnpipeline.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static final String SECRET = "s3cr3t-current-value";

    private static GatewayConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(GatewayConfig.IPN_SECRET, SECRET));
        env.putAll(extra);
        return GatewayConfig.fromEnv(Env.of(env));
    }

    @Test
    void documentedDefaults() {
        GatewayConfig config = config(Map.of());
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.opsPort()).isEqualTo(8093);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.maxBodyBytes()).isEqualTo(65_536);
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofMillis(2_000));
        assertThat(config.maxInFlight()).isEqualTo(2_048);
        assertThat(config.dbPoolSize()).isEqualTo(4);
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.ipnRawTopic()).isEqualTo("ipn.raw");
        assertThat(config.database().jdbcUrl()).startsWith("jdbc:postgresql:");
        assertThat(config.ipnSecrets()).extracting(GatewayConfig.NamedSecret::name).containsExactly("current");
        assertThat(config.allowedSources().isEnabled()).isFalse();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.dbStatementTimeout()).isEqualTo(Duration.ofMillis(2_000));
        assertThat(config.dbLockTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void databaseTimeoutsAreReadBoundedAndBecomeSessionSettings() {
        GatewayConfig config = config(Map.of("GATEWAY_DB_STATEMENT_TIMEOUT_MS", "3000",
                "GATEWAY_DB_LOCK_TIMEOUT_MS", "250"));
        assertThat(config.dbStatementTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.dbLockTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.dbSessionSql()).contains("set_config('statement_timeout', '3000', false)")
                .contains("set_config('lock_timeout', '250', false)");
        assertThatThrownBy(() -> config(Map.of("GATEWAY_DB_STATEMENT_TIMEOUT_MS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_DB_STATEMENT_TIMEOUT_MS");
        // at or beyond the 60 s socket timeout the socket, not PostgreSQL, would end a slow query
        assertThatThrownBy(() -> config(Map.of("GATEWAY_DB_STATEMENT_TIMEOUT_MS", "60000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_DB_STATEMENT_TIMEOUT_MS");
        assertThatThrownBy(() -> config(Map.of("GATEWAY_DB_LOCK_TIMEOUT_MS", "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_DB_LOCK_TIMEOUT_MS");
        assertThatThrownBy(() -> config(Map.of("GATEWAY_DB_STATEMENT_TIMEOUT_MS", "1000",
                "GATEWAY_DB_LOCK_TIMEOUT_MS", "1001")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_DB_LOCK_TIMEOUT_MS");
    }

    @Test
    void headerTimeoutIsReadAndBounded() {
        assertThat(config(Map.of("GATEWAY_HEADER_TIMEOUT_MS", "15000")).headerTimeout())
                .isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> config(Map.of("GATEWAY_HEADER_TIMEOUT_MS", "10")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_HEADER_TIMEOUT_MS");
    }

    @Test
    void receivingBudgetIsReadAndHoldsAtLeastOneLargestBody() {
        assertThat(config(Map.of()).maxReceivingBytes()).isEqualTo(16 * 1_024 * 1_024);
        assertThat(config(Map.of("IPN_MAX_RECEIVING_BYTES", "1000000")).maxReceivingBytes()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> config(Map.of("IPN_MAX_BODY_BYTES", "65536", "IPN_MAX_RECEIVING_BYTES", "65535")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("IPN_MAX_RECEIVING_BYTES");
    }

    @Test
    void sourceAllowListAndRequestTimeoutAreRead() {
        GatewayConfig config = config(Map.of("IPN_ALLOWED_SOURCES", "51.89.194.21, 10.0.0.0/8",
                "IPN_REQUEST_TIMEOUT_MS", "5000"));
        assertThat(config.allowedSources().allows("10.1.2.3")).isTrue();
        assertThat(config.allowedSources().allows("127.0.0.1")).isFalse();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> config(Map.of("IPN_ALLOWED_SOURCES", "nowpayments.io")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("IPN_ALLOWED_SOURCES");
        assertThatThrownBy(() -> config(Map.of("IPN_REQUEST_TIMEOUT_MS", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("IPN_REQUEST_TIMEOUT_MS");
    }

    @Test
    void everyVariableIsRead() {
        GatewayConfig config = config(Map.ofEntries(
                Map.entry("GATEWAY_PORT", "9090"),
                Map.entry("GATEWAY_OPS_PORT", "9091"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"),
                Map.entry("NOWPAYMENTS_IPN_SECRET_PREVIOUS", "old-one, old-two"),
                Map.entry("PIPELINE_JDBC_URL", "jdbc:postgresql://db:5432/x"),
                Map.entry("PIPELINE_DB_USER", "gw"),
                Map.entry("PIPELINE_DB_PASSWORD", "dbpass"),
                Map.entry("IPN_MAX_BODY_BYTES", "4096"),
                Map.entry("IPN_PUBLISH_TIMEOUT_MS", "1500"),
                Map.entry("IPN_RAW_TOPIC", "prod.ipn.raw"),
                Map.entry("GATEWAY_CORS_ORIGINS", "https://a.example, https://b.example"),
                Map.entry("GATEWAY_MAX_IN_FLIGHT", "100"),
                Map.entry("GATEWAY_DB_POOL_SIZE", "8")));
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.opsPort()).isEqualTo(9091);
        assertThat(config.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(config.ipnSecrets()).extracting(GatewayConfig.NamedSecret::name)
                .containsExactly("current", "previous", "previous-2");
        assertThat(config.ipnSecrets().get(2).secret().reveal()).isEqualTo("old-two");
        assertThat(config.database().user()).isEqualTo("gw");
        assertThat(config.maxBodyBytes()).isEqualTo(4096);
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.ipnRawTopic()).isEqualTo("prod.ipn.raw");
        assertThat(config.corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(config.maxInFlight()).isEqualTo(100);
        assertThat(config.dbPoolSize()).isEqualTo(8);
    }

    @Test
    void opsPortIsBoundedAndNamesItsVariable() {
        for (String bad : new String[] {"-1", "65536", "metrics", "8093.0"}) {
            assertThatThrownBy(() -> config(Map.of("GATEWAY_OPS_PORT", bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_OPS_PORT");
        }
        assertThat(config(Map.of("GATEWAY_OPS_PORT", "65535")).opsPort()).isEqualTo(65_535);
    }

    /** Metrics must never end up on the public port by configuration. */
    @Test
    void opsPortMustDifferFromThePublicPort() {
        assertThatThrownBy(() -> config(Map.of("GATEWAY_PORT", "9000", "GATEWAY_OPS_PORT", "9000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_OPS_PORT").hasMessageContaining("GATEWAY_PORT");
        assertThatThrownBy(() -> config(Map.of("GATEWAY_OPS_PORT", "8080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_OPS_PORT");
        assertThatThrownBy(() -> config(Map.of("GATEWAY_PORT", "8093")))
                .as("a public port moved onto the ops port's default")
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_OPS_PORT");
    }

    /** 0 is "any free port" for each: two different ports once bound, as tests run them. */
    @Test
    void bothPortsMayBeZero() {
        GatewayConfig config = config(Map.of("GATEWAY_PORT", "0", "GATEWAY_OPS_PORT", "0"));
        assertThat(config.port()).isZero();
        assertThat(config.opsPort()).isZero();
        assertThat(config(Map.of("GATEWAY_PORT", "0")).opsPort()).isEqualTo(8093);
        assertThat(config(Map.of("GATEWAY_OPS_PORT", "0")).port()).isEqualTo(8080);
    }

    @Test
    void loggedFormShowsBothPorts() {
        assertThat(config(Map.of("GATEWAY_PORT", "9000", "GATEWAY_OPS_PORT", "9001")).toString())
                .contains("port=9000").contains("opsPort=9001");
    }

    @Test
    void refusesToStartWithoutTheSecretAndNamesTheVariable() {
        assertThatThrownBy(() -> GatewayConfig.fromEnv(Env.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("NOWPAYMENTS_IPN_SECRET");
        assertThatThrownBy(() -> GatewayConfig.fromEnv(Env.of(Map.of(GatewayConfig.IPN_SECRET, "  , "))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("NOWPAYMENTS_IPN_SECRET");
    }

    @Test
    void badNumbersNameTheirVariable() {
        assertThatThrownBy(() -> config(Map.of("IPN_PUBLISH_TIMEOUT_MS", "soon")))
                .hasMessageContaining("IPN_PUBLISH_TIMEOUT_MS");
        assertThatThrownBy(() -> config(Map.of("GATEWAY_MAX_IN_FLIGHT", "0")))
                .hasMessageContaining("GATEWAY_MAX_IN_FLIGHT");
    }

    @Test
    void loggedFormShowsNoSecret() {
        GatewayConfig config = config(Map.of("NOWPAYMENTS_IPN_SECRET_PREVIOUS", "previous-secret-value",
                "PIPELINE_DB_PASSWORD", "database-password-value"));
        assertThat(config.toString())
                .doesNotContain(SECRET)
                .doesNotContain("previous-secret-value")
                .doesNotContain("database-password-value")
                .contains("****");
    }
}
