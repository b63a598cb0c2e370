package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.serde.MapperEscapes;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A command's JSON exactly as the contracts' mapper writes it with plain decimals (names in record order,
 * snake_case, decimals as their plain string in a string, instants as ISO-8601, nulls written,
 * {@link MapperEscapes}), built directly: data binding cost more per finished payment than the rest of its outbox
 * row. Only for ASCII text; null otherwise, and the caller asks the mapper ({@link OutboxCommand#PLAIN_DECIMALS}).
 * {@code OutboxCommandTest} holds it to the mapper's bytes.
 */
final class CommandJson {

    private final StringBuilder out = new StringBuilder(320);
    private boolean ascii = true;

    private CommandJson() {
    }

    static String invite(InviteCommand c) {
        CommandJson json = new CommandJson();
        json.name("command_id").text(c.commandId());
        json.name("payment_id").number(c.paymentId());
        json.name("user_id").number(c.userId());
        json.name("private_channel_id").number(c.privateChannelId());
        json.name("subscription_days").number(c.subscriptionDays());
        json.name("expires_at").instant(c.expiresAt());
        return json.finish();
    }

    static String payout(PayoutCommand c) {
        CommandJson json = new CommandJson();
        json.name("command_id").text(c.commandId());
        json.name("payment_id").number(c.paymentId());
        json.name("private_channel_id").number(c.privateChannelId());
        json.name("client_wallet_address").text(c.clientWalletAddress());
        json.name("client_payout_currency").text(c.clientPayoutCurrency());
        json.name("client_payout_network").text(c.clientPayoutNetwork());
        json.name("payout_strategy").text(c.payoutStrategy() == null ? null : c.payoutStrategy().word());
        json.name("outcome_amount").decimal(c.outcomeAmount());
        json.name("outcome_currency").text(c.outcomeCurrency());
        json.name("price_amount").decimal(c.priceAmount());
        json.name("price_currency").text(c.priceCurrency());
        return json.finish();
    }

    private String finish() {
        return ascii ? out.append('}').toString() : null;
    }

    private CommandJson name(String name) {
        out.append(out.length() == 0 ? '{' : ',').append('"').append(name).append("\":");
        return this;
    }

    private void number(long value) {
        out.append(value);
    }

    /**
     * Plain, never exponent form: a payout consumer reading "1E-7" may not parse it as the ledger's 0.0000001. The
     * length is bounded: the processor refuses IPN amounts beyond 30 integer and 60 fraction digits (AmountRange).
     */
    private void decimal(BigDecimal value) {
        text(value == null ? null : value.toPlainString());
    }

    private void instant(Instant value) {
        text(value == null ? null : IsoInstants.format(value));
    }

    private void text(String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128) {
                ascii = false;
                return;
            }
            byte escape = MapperEscapes.of(c);
            if (escape == MapperEscapes.KEEP) {
                out.append(c);
            } else {
                escape(c, escape);
            }
        }
        out.append('"');
    }

    private void escape(char c, byte escape) {
        out.append('\\');
        if (escape != MapperEscapes.HEX) {
            out.append((char) escape);
        } else {
            out.append("u00").append((char) MapperEscapes.hexDigit(c >> 4))
                    .append((char) MapperEscapes.hexDigit(c & 0xF));
        }
    }
}
