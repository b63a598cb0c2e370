package io.ipnpipeline.registry.table;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.registry.testdata.Channels;
import org.junit.jupiter.api.Test;

class UsableRowTest {

    private static final long ID = -1001000000001L;

    @Test
    void aCompleteRowIsUsable() {
        assertThat(UsableRow.problem(channel(ID).build())).isEmpty();
        assertThat(UsableRow.problem(channel(ID).threshold("50.00").build())).isEmpty();
        assertThat(UsableRow.problem(channel(ID).tier2(null, null).build())).isEmpty();
    }

    @Test
    void anEmptyOrBlankWalletIsNotAndTheReasonDoesNotCarryTheWallet() {
        assertThat(UsableRow.problem(channel(ID).wallet("").build())).contains("client_wallet_address is empty");
        assertThat(UsableRow.problem(channel(ID).wallet(" \t").build())).contains("client_wallet_address is empty");
    }

    @Test
    void anEmptyPayoutCurrencyOrNetworkIsNot() {
        assertThat(UsableRow.problem(channel(ID).currency(" ").build())).contains("client_payout_currency is empty");
        assertThat(UsableRow.problem(channel(ID).currency(null).build())).contains("client_payout_currency is empty");
        assertThat(UsableRow.problem(channel(ID).network("").build())).contains("client_payout_network is empty");
    }

    @Test
    void aTierPriceOfZeroOrLessIsNot() {
        assertThat(UsableRow.problem(channel(ID).tier1("0.00", 30).build())).contains("sub_1_price is not a positive amount");
        assertThat(UsableRow.problem(channel(ID).tier2("-1.00", 90).build()))
                .contains("sub_2_price is not a positive amount");
    }

    @Test
    void anUnusedTierWhoseColumnsHoldZeroIsNoTierAndTheRowIsUsable() {
        assertThat(UsableRow.problem(channel(ID).tier2("0.00", null).build())).isEmpty();
        assertThat(UsableRow.problem(channel(ID).tier2("0.00", 0).build())).isEmpty();
        assertThat(UsableRow.problem(channel(ID).tier2("-1.00", null).build())).isEmpty();
        assertThat(UsableRow.problem(channel(ID).tier2("0.00", 30).build())).contains("sub_2_price is not a positive amount");
    }

    @Test
    void aTierOfMoreThanAHundredYearsIsNot() {
        assertThat(UsableRow.problem(channel(ID).tier1("5.00", UsableRow.MAX_DAYS).build())).isEmpty();
        assertThat(UsableRow.problem(channel(ID).tier2("9.00", Integer.MAX_VALUE).build()))
                .contains("sub_2_time is more than 36525 days");
    }

    @Test
    void aThresholdStrategyNeedsAPositiveThreshold() {
        Channels missing = channel(ID).payout(PayoutStrategy.THRESHOLD, null);
        assertThat(UsableRow.problem(missing.build())).hasValueSatisfying(reason -> assertThat(reason)
                .contains("payout_threshold_usd"));
        assertThat(UsableRow.problem(channel(ID).threshold("0").build())).isPresent();
        // an instant payout ignores the threshold column, whatever it holds
        assertThat(UsableRow.problem(channel(ID).payout(PayoutStrategy.INSTANT, "0").build())).isEmpty();
    }
}
