package io.ipnpipeline.contracts.order;

/**
 * A parsed {@code order_id}: who paid, for which open (public) channel, and in which of the known forms it came.
 *
 * @param userId        Telegram user id, always positive
 * @param openChannelId Telegram open channel id, always negative
 */
public record OrderId(long userId, long openChannelId, Form form) {

    /** The order-id forms the Telegram bot has written over time (nowpayments-ipn.md). */
    public enum Form {
        /** {@code PGP-{user_id}|{open_channel_id}}: the current form, sign kept. */
        PIPE,
        /** {@code PGP-{user_id}-{digits}}: an older form whose dash swallowed the channel's sign. */
        DASH_SIGN_LOST,
        /** {@code PGP-{user_id}--{digits}}: an older form with a dash separator and the sign kept. */
        DASH_SIGN_DOUBLED
    }

    public OrderId {
        if (userId <= 0) {
            throw new IllegalArgumentException("user id must be positive");
        }
        if (openChannelId >= 0) {
            throw new IllegalArgumentException("open channel id must be negative");
        }
    }

    /** The current, canonical spelling. */
    public String canonical() {
        return "PGP-" + userId + "|" + openChannelId;
    }
}
