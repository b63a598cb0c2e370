package io.ipnpipeline.sink.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.serde.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** One command row for {@code command_outbox}: kind ('invite' or 'payout'), Kafka key and JSON value. */
public record OutboxCommand(String commandId, Kind kind, String key, String payload) {

    public enum Kind {
        INVITE("invite"),
        PAYOUT("payout");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static Kind fromWord(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown command kind: " + word);
        }
    }

    /**
     * The contracts' mapper, with decimals in plain form whatever its own setting: the ledger stores 0.0000001, so
     * the payout says "0.0000001", never "1E-7" (as {@link CommandJson}, which this backs for non-ASCII text).
     */
    static final ObjectWriter PLAIN_DECIMALS = Json.mapper().writer()
            .with(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);

    /** The invite for a payment's first finish; {@code expiresAt} is the subscription's expiry after it. */
    static OutboxCommand invite(EnrichedPayment finished, Instant expiresAt) {
        InviteCommand command = new InviteCommand(CommandIds.invite(finished.paymentId()), finished.paymentId(),
                finished.userId(), finished.privateChannelId(), finished.subscriptionDays(), expiresAt);
        String payload = CommandJson.invite(command);
        return new OutboxCommand(command.commandId(), Kind.INVITE, key(finished),
                payload != null ? payload : mapper(command));
    }

    static OutboxCommand payout(EnrichedPayment finished) {
        PayoutCommand command = new PayoutCommand(CommandIds.payout(finished.paymentId()), finished.paymentId(),
                finished.privateChannelId(), finished.clientWalletAddress(), finished.clientPayoutCurrency(),
                finished.clientPayoutNetwork(), finished.payoutStrategy(), finished.outcomeAmount(),
                finished.outcomeCurrency(), finished.priceAmount(), finished.priceCurrency());
        String payload = CommandJson.payout(command);
        return new OutboxCommand(command.commandId(), Kind.PAYOUT, key(finished),
                payload != null ? payload : mapper(command));
    }

    private static String mapper(Object command) {
        try {
            // through UTF-8 bytes, as JsonSerde writes topic values: the same escapes of surrogates
            return new String(PLAIN_DECIMALS.writeValueAsBytes(command), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + command.getClass().getSimpleName(), e);
        }
    }

    private static String key(EnrichedPayment payment) {
        return Long.toString(payment.paymentId());
    }
}
