package io.ipnpipeline.contracts.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelMappingTest {

    private static final ChannelMapping THREE_TIERS = new ChannelMapping(-1003253338212L, -1003016667267L,
            "0xWALLET", "eth", "eth", new BigDecimal("2.50"), 30, new BigDecimal("5.00"), 90,
            new BigDecimal("12.00"), 365, PayoutStrategy.INSTANT, null, Instant.EPOCH);

    @ParameterizedTest(name = "{0} USD -> {1} days")
    @CsvSource({
        "2.5, 30", "2.50, 30", "2.500000, 30", "2.499999, 30", "5, 90", "12.00, 365",
        "2.51, 0", "2.494, 0", "0, 0", "-2.50, 0", "1000000, 0",
    })
    void matchesTiersToTheCent(String price, int days) {
        assertThat(THREE_TIERS.tierFor(new BigDecimal(price)).map(Tier::days).orElse(0)).isEqualTo(days);
    }

    @ParameterizedTest
    @CsvSource({"2.50, 1", "5.00, 2", "12, 3"})
    void reportsWhichTier(String price, int index) {
        assertThat(THREE_TIERS.tierFor(new BigDecimal(price))).get().extracting(Tier::index).isEqualTo(index);
    }

    @org.junit.jupiter.api.Test
    void unsetTiersAndNullPriceMatchNothing() {
        ChannelMapping oneTier = new ChannelMapping(-1, -2, "w", "eth", "eth", new BigDecimal("2.50"), 30,
                new BigDecimal("5.00"), null, null, null, PayoutStrategy.INSTANT, null, Instant.EPOCH);
        assertThat(oneTier.tiers()).hasSize(1);
        assertThat(oneTier.tierFor(new BigDecimal("5.00"))).isEmpty();
        assertThat(oneTier.tierFor(null)).isEmpty();
    }

    /** Found by review: 5.00 for 30 days and 5.00 for 90 days; findFirst gave the 90-day customer 30 days. */
    @org.junit.jupiter.api.Test
    void onePriceForTwoDurationsIsNoTier() {
        ChannelMapping twoAtFive = new ChannelMapping(-1, -2, "w", "eth", "eth", new BigDecimal("5.00"), 30,
                new BigDecimal("5"), 90, new BigDecimal("9.99"), 365, PayoutStrategy.INSTANT, null, Instant.EPOCH);
        assertThat(twoAtFive.tiersFor(new BigDecimal("5.00"))).extracting(Tier::days).containsExactly(30, 90);
        assertThat(ChannelMapping.isAmbiguous(twoAtFive.tiersFor(new BigDecimal("5.00")))).isTrue();
        assertThat(twoAtFive.tierFor(new BigDecimal("5.00"))).isEmpty();
        assertThat(twoAtFive.tierFor(new BigDecimal("9.99"))).get().extracting(Tier::days).isEqualTo(365);
    }

    @org.junit.jupiter.api.Test
    void onePriceForOneDurationTwiceIsThatTier() {
        ChannelMapping sameOffer = new ChannelMapping(-1, -2, "w", "eth", "eth", new BigDecimal("5.00"), 90,
                new BigDecimal("5.00"), 90, null, null, PayoutStrategy.INSTANT, null, Instant.EPOCH);
        assertThat(ChannelMapping.isAmbiguous(sameOffer.tiersFor(new BigDecimal("5")))).isFalse();
        assertThat(sameOffer.tierFor(new BigDecimal("5"))).get().extracting(Tier::index).isEqualTo(1);
    }
}
