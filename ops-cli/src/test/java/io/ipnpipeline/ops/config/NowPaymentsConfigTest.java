package io.ipnpipeline.ops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NowPaymentsConfigTest {

    private static NowPaymentsConfig withUrl(String url) {
        return NowPaymentsConfig.fromEnv(Env.of(Map.of(NowPaymentsConfig.API_URL, url)));
    }

    @Test
    void theDefaultIsNowPaymentsOverHttps() {
        assertThat(NowPaymentsConfig.fromEnv(Env.of(Map.of())).apiUrl()).hasToString("https://api.nowpayments.io");
    }

    /**
     * Found by review: reconciliation trusts the unsigned answer and may inject finished payments that lead to
     * payouts, so a plain-http API could be forged on the way (and would carry the API key in clear text).
     */
    @Test
    void plainHttpToAnotherHostIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> withUrl("http://api.nowpayments.io")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(NowPaymentsConfig.API_URL).hasMessageContaining("must be https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8099", "http://localhost:8099/", "http://[::1]:8099",
        "https://sandbox.nowpayments.io"})
    void httpsAnywhereAndPlainHttpToThisHostAreAccepted(String url) {
        assertThat(withUrl(url).apiUrl().getHost()).isNotNull();
    }
}
