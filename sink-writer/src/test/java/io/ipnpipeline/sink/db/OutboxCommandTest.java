package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.serde.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboxCommandTest {

    @Test
    void inviteCarriesTheContractFieldsWithAnIsoUtcExpiry() throws Exception {
        OutboxCommand invite = OutboxCommand.invite(payment(4479119533L).build(),
                Instant.parse("2025-12-07T11:51:21Z"));

        JsonNode json = Json.mapper().readTree(invite.payload());
        assertThat(invite.commandId()).isEqualTo("invite:4479119533");
        assertThat(invite.key()).isEqualTo("4479119533");
        assertThat(json.get("command_id").asText()).isEqualTo("invite:4479119533");
        assertThat(json.get("user_id").asLong()).isEqualTo(6271402111L);
        assertThat(json.get("private_channel_id").asLong()).isEqualTo(-1003016667267L);
        assertThat(json.get("subscription_days").asInt()).isEqualTo(30);
        assertThat(json.get("expires_at").asText()).isEqualTo("2025-12-07T11:51:21Z");
    }

    @Test
    void payoutWritesDecimalsAsStrings() throws Exception {
        OutboxCommand payout = OutboxCommand.payout(payment(4479119533L).build());

        JsonNode json = Json.mapper().readTree(payout.payload());
        assertThat(payout.commandId()).isEqualTo("payout:4479119533");
        assertThat(json.get("outcome_amount").isTextual()).isTrue();
        assertThat(json.get("outcome_amount").asText()).isEqualTo("0.00061819");
        assertThat(json.get("price_amount").asText()).isEqualTo("2.5");
        assertThat(json.get("payout_strategy").asText()).isEqualTo("instant");
        assertThat(json.get("client_wallet_address").asText()).isEqualTo("0xClientWallet");
    }
}
