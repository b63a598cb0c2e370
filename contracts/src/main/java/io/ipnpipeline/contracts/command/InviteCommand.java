package io.ipnpipeline.contracts.command;

import java.time.Instant;

/** On {@code commands.invite} (key: payment_id): send this user an invite to the private channel. */
public record InviteCommand(
        String commandId,
        long paymentId,
        long userId,
        long privateChannelId,
        int subscriptionDays,
        Instant expiresAt) {
}
