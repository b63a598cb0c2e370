package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.mapping.PayoutStrategy;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.ipn.IpnParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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

    /** Texts around the direct writer's escapes and its hand-over to the mapper. */
    private static final List<String> TEXTS = java.util.Arrays.asList(null, "", "eth", "a\"b\\c/d",
            "\b\t\n\f\r", "\u0000\u0001\u000b\u001f\u007f", "wallet é", "€", "\uD83D\uDE00");
    private static final List<BigDecimal> DECIMALS = java.util.Arrays.asList(null, new BigDecimal("0.00061819"),
            new BigDecimal("1E+3"), new BigDecimal("1E-7"), new BigDecimal("-0.000"),
            new BigDecimal("123456789012345678901234567890.1"));

    /**
     * The mapper with plain decimals set here, so the byte comparison holds whether or not the contracts' mapper
     * writes them plain by itself.
     */
    private static final ObjectWriter PLAIN = Json.mapper().writer()
            .with(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);

    @Test
    void payloadsAreTheMappersBytes() {
        for (String text : TEXTS) {
            for (BigDecimal decimal : DECIMALS) {
                for (PayoutStrategy strategy : new PayoutStrategy[] {null, PayoutStrategy.INSTANT}) {
                    EnrichedPayment p = withPayout(payment(Long.MIN_VALUE).privateChannel(Long.MAX_VALUE).build(),
                            text, strategy, decimal);
                    OutboxCommand payout = OutboxCommand.payout(p);
                    assertThat(payout.payload()).as("payout with %s, %s", text, decimal)
                            .isEqualTo(mapper(new PayoutCommand(payout.commandId(), p.paymentId(),
                                    p.privateChannelId(), text, text, text, strategy, decimal, text, decimal, text)));
                    if (decimal != null) {
                        assertThat(payout.payload()).as("payout with %s, %s", text, decimal)
                                .contains("\"outcome_amount\":\"" + decimal.toPlainString() + "\",");
                    }
                }
            }
        }
        for (Instant expiry : java.util.Arrays.asList(null, Instant.parse("2025-12-07T11:51:21Z"),
                Instant.parse("2025-12-07T11:51:21.120Z"), Instant.parse("2025-12-07T11:51:21.000000001Z"),
                Instant.EPOCH, Instant.parse("+12345-01-01T00:00:00Z"))) {
            EnrichedPayment p = payment(-7L).user(0L).days(Integer.MIN_VALUE).build();
            OutboxCommand invite = OutboxCommand.invite(p, expiry);
            assertThat(invite.payload()).as("invite expiring %s", expiry).isEqualTo(mapper(
                    new InviteCommand(invite.commandId(), -7L, 0L, p.privateChannelId(), Integer.MIN_VALUE, expiry)));
        }
    }

    private static String mapper(Object command) {
        try {
            return new String(PLAIN.writeValueAsBytes(command), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** A payout consumer must read the amount the ledger stores: 0.0000001, never "1E-7". */
    @Test
    void payoutDecimalsAreWrittenPlainNeverInExponentForm() {
        EnrichedPayment p = payment(7).outcomeAmount("1E-7").build();
        assertThat(OutboxCommand.payout(p).payload()).isEqualTo("{\"command_id\":\"payout:7\",\"payment_id\":7,"
                + "\"private_channel_id\":-1003016667267,\"client_wallet_address\":\"0xClientWallet\","
                + "\"client_payout_currency\":\"eth\",\"client_payout_network\":\"eth\",\"payout_strategy\":\"instant\","
                + "\"outcome_amount\":\"0.0000001\",\"outcome_currency\":\"eth\",\"price_amount\":\"2.5\","
                + "\"price_currency\":\"usd\"}");
        // non-ASCII text: the mapper writes it, with plain decimals too
        EnrichedPayment wide = withPayout(p, "wallet é", PayoutStrategy.INSTANT, new BigDecimal("1E+3"));
        assertThat(OutboxCommand.payout(wide).payload()).contains("\"outcome_amount\":\"1000\",")
                .contains("\"price_amount\":\"1000\",");
        assertThat(OutboxCommand.payout(withPayout(p, "wallet é", null, new BigDecimal("1E-7"))).payload())
                .contains("\"outcome_amount\":\"0.0000001\",");
    }

    /**
     * Plain form is as long as the number's scale: the processor's parser bounds it (AmountRange: 30 integer and 60
     * fraction digits), so the longest amount a payout can carry is a short string, and beyond it nothing arrives.
     */
    @Test
    void theLongestAmountsTheParserAcceptsStayShortInPlainForm() {
        String smallest = "0." + "0".repeat(59) + "1";
        String largest = "1" + "0".repeat(29);
        for (String amount : List.of("1e-60", "1E+29", "9.99e29")) {
            BigDecimal parsed = outcomeAmount(amount);
            String payload = OutboxCommand.payout(withPayout(payment(7).build(), "eth", null, parsed)).payload();
            assertThat(payload).contains("\"outcome_amount\":\"" + parsed.toPlainString() + "\",")
                    .hasSizeLessThan(450);
        }
        assertThat(outcomeAmount("1e-60").toPlainString()).isEqualTo(smallest);
        assertThat(outcomeAmount("1E+29").toPlainString()).isEqualTo(largest);
        for (String beyond : List.of("1e-61", "1E+30", "1e-999", "1e999")) {
            assertThat(IpnParser.parse(IpnBodyBuilder.incidentPayment().outcomeAmount(beyond).toBytes()))
                    .as(beyond).isInstanceOf(IpnParser.Rejected.class);
        }
    }

    private static BigDecimal outcomeAmount(String amount) {
        IpnParser.Result result = IpnParser.parse(IpnBodyBuilder.incidentPayment().outcomeAmount(amount).toBytes());
        assertThat(result).as(amount).isInstanceOf(IpnParser.Parsed.class);
        return ((IpnParser.Parsed) result).ipn().outcomeAmount();
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
