package io.ipnpipeline.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.support.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceAllowListTest {

    private final SourceAllowList list = SourceAllowList.parse(
            List.of("144.76.201.30", "51.75.77.0/24", " 2001:db8::/32 "));

    @Test
    void emptyAllowsEverySource() {
        SourceAllowList off = SourceAllowList.parse(List.of());
        assertThat(off.isEnabled()).isFalse();
        assertThat(off.allows("203.0.113.9")).isTrue();
        assertThat(off).hasToString("off");
    }

    @Test
    void singleAddressesAndBlocksMatch() {
        assertThat(list.allows("144.76.201.30")).isTrue();
        assertThat(list.allows("51.75.77.0")).isTrue();
        assertThat(list.allows("51.75.77.255")).isTrue();
        assertThat(list.allows("2001:db8:1::5")).isTrue();
        assertThat(list.allows("::ffff:144.76.201.30")).as("IPv4-mapped IPv6").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"144.76.201.31", "51.75.78.1", "127.0.0.1", "2001:db9::1", "", "localhost",
            "144.76.201.30, 1.2.3.4", "fe80::1%eth0"})
    void everythingElseIsRefused(String peer) {
        assertThat(list.allows(peer)).isFalse();
    }

    @Test
    void aMissingPeerIsRefused() {
        assertThat(list.allows(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nowpayments.io", "1.2.3.4/33", "1.2.3.4/x", "/8", "::/129", "1.2.3"})
    void malformedEntriesFailStartUpNamingTheVariable(String entry) {
        assertThatThrownBy(() -> SourceAllowList.parse(List.of(entry)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("IPN_ALLOWED_SOURCES");
    }

    @Test
    void zeroPrefixAllowsAllOfItsFamily() {
        SourceAllowList any4 = SourceAllowList.parse(List.of("0.0.0.0/0"));
        assertThat(any4.allows("8.8.8.8")).isTrue();
        assertThat(any4.allows("2001:db8::1")).isFalse();
    }
}
