package io.ipnpipeline.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.topic.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    static ChannelMapping incidentChannel() {
        return new ChannelMapping(-1003253338212L, -1003016667267L, "0xWALLET", "eth", "eth",
                new BigDecimal("2.50"), 30, new BigDecimal("5.00"), 90, null, null,
                PayoutStrategy.INSTANT, null, Instant.parse("2025-11-07T10:00:00Z"));
    }

    @Test
    void payoutCommandWritesDecimalsAsStringsAndSnakeCase() {
        PayoutCommand command = new PayoutCommand(CommandIds.payout(4479119533L), 4479119533L, -1003016667267L,
                "0xWALLET", "eth", "eth", PayoutStrategy.THRESHOLD, new BigDecimal("0.00061819"), "eth",
                new BigDecimal("2.50"), "usd");
        byte[] bytes = Topics.COMMANDS_PAYOUT.valueSerde().serializer().serialize("t", command);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"command_id\":\"payout:4479119533\"", "\"outcome_amount\":\"0.00061819\"",
                "\"price_amount\":\"2.50\"", "\"payout_strategy\":\"threshold\"");
        assertThat(Topics.COMMANDS_PAYOUT.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(command);
    }

    /** NOWPayments sends 1e-7; every JSON we write spells it 0.0000001, not 1E-7. */
    @Test
    void decimalsAreWrittenPlainNeverInExponentForm() {
        PayoutCommand command = new PayoutCommand(CommandIds.payout(1L), 1L, -2L, "0xWALLET", "eth", "eth",
                PayoutStrategy.INSTANT, new BigDecimal("1e-7"), "eth", new BigDecimal("1E+3"), "usd");
        String json = new String(Topics.COMMANDS_PAYOUT.valueSerde().serializer().serialize("t", command),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"outcome_amount\":\"0.0000001\"", "\"price_amount\":\"1000\"")
                .doesNotContain("E-", "E+");
    }

    @Test
    void channelMappingUsesTheRegistryColumnNames() {
        byte[] bytes = Topics.CHANNEL_MAPPINGS.valueSerde().serializer().serialize("t", incidentChannel());
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"open_channel_id\":-1003253338212", "\"closed_channel_id\":-1003016667267",
                "\"sub_1_price\":\"2.50\"", "\"sub_1_time\":30", "\"payout_strategy\":\"instant\"",
                "\"updated_at\":\"2025-11-07T10:00:00Z\"");
        assertThat(Topics.CHANNEL_MAPPINGS.valueSerde().deserializer().deserialize("t", bytes))
                .isEqualTo(incidentChannel());
    }

    @Test
    void readsNumericDecimalsWithoutDoubleRounding() {
        String json = "{\"open_channel_id\":-1,\"closed_channel_id\":-2,\"client_wallet_address\":\"w\","
                + "\"client_payout_currency\":\"eth\",\"client_payout_network\":\"eth\",\"sub_1_price\":2.50,"
                + "\"sub_1_time\":30,\"payout_strategy\":\"instant\"}";
        ChannelMapping mapping = new JsonSerde<>(ChannelMapping.class).read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(mapping.sub1Price()).isEqualTo(new BigDecimal("2.50"));
    }

    @Test
    void unknownPayoutStrategyIsAnErrorNotADefault() {
        String json = "{\"open_channel_id\":-1,\"closed_channel_id\":-2,\"client_wallet_address\":\"w\","
                + "\"payout_strategy\":\"whenever\"}";
        assertThatThrownBy(() -> new JsonSerde<>(ChannelMapping.class).read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void nullsStayNull() {
        JsonSerde<ChannelMapping> serde = new JsonSerde<>(ChannelMapping.class);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }
}
