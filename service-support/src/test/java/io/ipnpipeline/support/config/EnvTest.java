package io.ipnpipeline.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.support.db.DatabaseConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void defaultsApplyWhenUnsetOrBlank() {
        Env env = Env.of(Map.of("BLANK", "  "));
        assertThat(env.string("UNSET", "d")).isEqualTo("d");
        assertThat(env.string("BLANK", "d")).isEqualTo("d");
        assertThat(env.integer("UNSET", 8080, 1, 65535)).isEqualTo(8080);
        assertThat(env.list("UNSET")).isEmpty();
    }

    @Test
    void requiredVariableMissingNamesTheVariable() {
        assertThatThrownBy(() -> Env.of(Map.of()).required("NOWPAYMENTS_IPN_SECRET"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("NOWPAYMENTS_IPN_SECRET is required but not set");
    }

    @Test
    void badNumbersNameTheVariableAndTheRange() {
        Env env = Env.of(Map.of("PORT", "eighty", "SIZE", "0", "FLAG", "maybe"));
        assertThatThrownBy(() -> env.integer("PORT", 1, 1, 65535)).hasMessageContaining("PORT must be a whole number");
        assertThatThrownBy(() -> env.longValue("SIZE", 1, 1, 10)).hasMessage("SIZE must be between 1 and 10, got 0");
        assertThatThrownBy(() -> env.bool("FLAG", false)).hasMessageContaining("FLAG must be true or false");
    }

    @Test
    void listsAreTrimmedAndSkipEmptyItems() {
        assertThat(Env.of(Map.of("L", " a, b ,,c ")).list("L")).containsExactly("a", "b", "c");
    }

    @Test
    void secretsNeverPrint() {
        Secret secret = Env.of(Map.of("S", "super-secret-value")).requiredSecret("S");
        assertThat(secret.reveal()).isEqualTo("super-secret-value");
        assertThat(secret.toString()).isEqualTo("****");
        DatabaseConfig db = DatabaseConfig.fromEnv(Env.of(Map.of(DatabaseConfig.PASSWORD, "pw-123")));
        assertThat(db.toString()).doesNotContain("pw-123").contains("****");
    }

    @Test
    void databaseUrlMustBePostgres() {
        assertThatThrownBy(() -> DatabaseConfig.fromEnv(Env.of(Map.of(DatabaseConfig.JDBC_URL, "jdbc:mysql://x"))))
                .hasMessageContaining("PIPELINE_JDBC_URL must be a jdbc:postgresql: URL");
    }
}
