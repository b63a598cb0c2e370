package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.serde.JsonSerde;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxCommandTest {

    private static final JsonSerde<InviteCommand> INVITE = new JsonSerde<>(InviteCommand.class);
    private static final JsonSerde<PayoutCommand> PAYOUT = new JsonSerde<>(PayoutCommand.class);

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

    /** Texts around the direct writer's escapes and its hand-over to the mapper. */
    private static final List<String> TEXTS = java.util.Arrays.asList(null, "", "eth", "a\"b\\c/d",
            "\b\t\n\f\r", "\u0000\u0001\u000b\u001f\u007f", "wallet é", "€", "\uD83D\uDE00");
    private static final List<BigDecimal> DECIMALS = java.util.Arrays.asList(null, new BigDecimal("0.00061819"),
            new BigDecimal("1E+3"), new BigDecimal("-0.000"), new BigDecimal("123456789012345678901234567890.1"));

    @Test
    void payloadsAreTheMappersBytes() {
        for (String text : TEXTS) {
            for (BigDecimal decimal : DECIMALS) {
                for (PayoutStrategy strategy : new PayoutStrategy[] {null, PayoutStrategy.INSTANT}) {
                    EnrichedPayment p = withPayout(payment(Long.MIN_VALUE).privateChannel(Long.MAX_VALUE).build(),
                            text, strategy, decimal);
                    OutboxCommand payout = OutboxCommand.payout(p);
                    assertThat(payout.payload()).as("payout with %s, %s", text, decimal)
                            .isEqualTo(mapper(PAYOUT, new PayoutCommand(payout.commandId(), p.paymentId(),
                                    p.privateChannelId(), text, text, text, strategy, decimal, text, decimal, text)));
                }
            }
        }
        for (Instant expiry : java.util.Arrays.asList(null, Instant.parse("2025-12-07T11:51:21Z"),
                Instant.parse("2025-12-07T11:51:21.120Z"), Instant.parse("2025-12-07T11:51:21.000000001Z"),
                Instant.EPOCH, Instant.parse("+12345-01-01T00:00:00Z"))) {
            EnrichedPayment p = payment(-7L).user(0L).days(Integer.MIN_VALUE).build();
            OutboxCommand invite = OutboxCommand.invite(p, expiry);
            assertThat(invite.payload()).as("invite expiring %s", expiry).isEqualTo(mapper(INVITE,
                    new InviteCommand(invite.commandId(), -7L, 0L, p.privateChannelId(), Integer.MIN_VALUE, expiry)));
        }
    }

    private static <T> String mapper(JsonSerde<T> serde, T command) {
        return new String(serde.write(command), StandardCharsets.UTF_8);
    }

    private static EnrichedPayment withPayout(EnrichedPayment p, String text, PayoutStrategy strategy,
            BigDecimal decimal) {
        return new EnrichedPayment(p.paymentId(), p.status(), p.statusWord(), p.reviewReason(), p.orderId(),
                p.userId(), p.openChannelId(), p.privateChannelId(), p.tierIndex(), p.subscriptionDays(),
                p.subscriptionPrice(), text, text, text, strategy, p.payoutThresholdUsd(), p.parentPaymentId(),
                p.invoiceId(), p.payAddress(), decimal, text, p.payAmount(), p.actuallyPaid(), p.payCurrency(),
                decimal, text, p.nowpaymentsCreatedAt(), p.nowpaymentsUpdatedAt(), p.receivedAt(), p.rawIpn());
    }
}
